"""Content Security Policy and cache headers for a built site.

The banner needs nothing beyond ``default-src 'self'``, plus ``connect-src`` for the origin of
``consent.receipts_url`` when it sends consent receipts. The theme ships a few inline scripts
and data: URI icons, so the site's policy adds sha256 hashes of exactly those scripts and
``img-src data:``; no ``unsafe-inline`` anywhere. The result is written as a ``_headers``
file (Netlify, Cloudflare Pages) together with cache rules: long and immutable for files
named by their content hash, short for the banner's stable name; pages keep the host's
default (short) caching.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["DEMO_CSP", "demo_csp", "inline_script_hashes", "origin_of", "site_csp", "write_headers"]

DEMO_CSP = "default-src 'self'"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_NON_JS_TYPE = re.compile(r'\btype="(?!text/javascript|module)[^"]*"', re.IGNORECASE)


def inline_script_hashes(site_dir: Path) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for every executable inline script in the site's HTML."""
    found: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for attrs, body in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8", errors="replace")):
            if _NON_JS_TYPE.search(attrs) or not body.strip():
                continue
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            found.add(f"'sha256-{digest}'")
    return sorted(found)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _connect(origins: Sequence[str]) -> str:
    return f"; connect-src 'self' {' '.join(sorted(set(origins)))}" if origins else ""


def site_csp(hashes: list[str], connect: Sequence[str] = ()) -> str:
    """The policy for the site's pages; ``connect`` lists the origins the banner sends receipts to."""
    script = " ".join(["'self'", *hashes])
    return (f"default-src 'self'; script-src {script}; img-src 'self' data:; object-src 'none'; "
            f"base-uri 'self'; form-action 'self'; frame-ancestors 'self'{_connect(connect)}")


def demo_csp(connect: Sequence[str] = ()) -> str:
    """The policy of the demo product page: the banner's own needs only."""
    return DEMO_CSP + _connect(connect)


def write_headers(site_dir: Path, connect: Sequence[str] = ()) -> str:
    """Write ``_headers`` for the built site and return the site's CSP; ``connect`` as for :func:`site_csp`."""
    csp = site_csp(inline_script_hashes(site_dir), connect)
    immutable = ["Cache-Control: public, max-age=31536000, immutable"]
    # Each path gets at most one Cache-Control rule: hosts merge the headers of every matching rule.
    rules = [
        ("/*", [f"Content-Security-Policy: {csp}", "Referrer-Policy: strict-origin-when-cross-origin",
                "X-Content-Type-Options: nosniff"]),
        ("/demo/*", [f"Content-Security-Policy: {demo_csp(connect)}"]),
        ("/consent/*", ["Access-Control-Allow-Origin: *"]),  # the snippet loads it with crossorigin + integrity
        ("/consent/consent.*.js", immutable),
        ("/assets/policyforge.*.css", immutable),
        ("/assets/stylesheets/*", immutable),
        ("/assets/javascripts/bundle.*", immutable),
        ("/assets/javascripts/workers/*", immutable),
        ("/consent/consent.js", ["Cache-Control: public, max-age=300"]),
    ]
    text = "\n".join(f"{path}\n" + "".join(f"  {h}\n" for h in headers) for path, headers in rules)
    (site_dir / "_headers").write_text(text, encoding="utf-8", newline="")
    return csp

"""Content Security Policy and cache headers for a built site.

The banner needs nothing beyond ``default-src 'self'``, plus ``connect-src`` for the origin of
``consent.receipts_url`` when it sends consent receipts. The theme ships a few inline scripts
and data: URI icons, so the site's policy adds sha256 hashes of exactly the *theme's* inline
scripts and ``img-src data:``; no ``unsafe-inline`` anywhere. Which scripts are the theme's is
not guessed from the output: the site engine adapter renders the theme's templates with no page
content and passes the inline scripts it finds (:func:`write_headers`'s ``theme_scripts``). Any
other inline script in the built pages (raw HTML in a docs page, a plugin's injection) is left
out of the policy, so browsers refuse to run it, and is reported as a :class:`BlockedScript`. The
adapter may pass the inline scripts it saw in the pages as it built them (``found``); else the built
pages are read.

Scripts are found with the standard library's HTML parser, as a browser sees them: a
``<script>`` is inline when it has no ``src`` attribute (``data-src`` does not count) and
executable when its ``type`` is empty, a JavaScript MIME type or ``module``.

The result is written as a ``_headers`` file (Netlify, Cloudflare Pages) together with cache
rules: long and immutable for files named by their content hash (the theme's and policyforge's assets of
the root site and of each language's site under ``/LANG/``), short for the banner's stable name; pages keep
the host's default (short) caching.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..banner.failsafe import origin_of, script_hash  # the snippet's stub is hashed the same way

__all__ = [
    "DEMO_CSP",
    "BlockedScript",
    "HeadersResult",
    "demo_csp",
    "inline_scripts",
    "origin_of",
    "script_hash",
    "site_csp",
    "write_headers",
]

DEMO_CSP = "default-src 'self'"
# HTML's "JavaScript MIME type essence match" list, plus module scripts.
_JS_TYPES = frozenset(
    {
        "",
        "module",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)


@dataclass(frozen=True)
class BlockedScript:
    """An inline script in a built page that is not the theme's: the site's CSP does not allow it."""

    page: str
    body: str

    def __str__(self) -> str:
        preview = " ".join(self.body.split())
        preview = preview if len(preview) <= 60 else preview[:57] + "..."
        return (
            f"{self.page}: an inline script that is not the theme's is blocked by the site's "
            f"Content-Security-Policy ({preview!r}); move it into a .js file listed under extra_javascript"
        )


@dataclass(frozen=True)
class HeadersResult:
    """What :func:`write_headers` wrote: the pages' CSP, and the inline scripts it does not allow."""

    csp: str
    blocked: tuple[BlockedScript, ...]


class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._body: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        names = {name for name, _ in attrs}
        kind = next(((value or "").strip().lower() for name, value in attrs if name == "type"), "")
        self._body = [] if "src" not in names and kind in _JS_TYPES else None

    def handle_data(self, data: str) -> None:
        if self._body is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._body is not None:
            body = "".join(self._body)
            if body.strip():
                self.found.append(body)
            self._body = None


def inline_scripts(html: str) -> list[str]:
    """The bodies of the executable inline scripts of an HTML document, in document order."""
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _connect(origins: Sequence[str]) -> str:
    return f"; connect-src 'self' {' '.join(sorted(set(origins)))}" if origins else ""


def site_csp(hashes: Iterable[str], connect: Sequence[str] = ()) -> str:
    """The policy for the site's pages; ``connect`` lists the origins the banner sends receipts to."""
    script = " ".join(["'self'", *sorted(set(hashes))])
    return (
        f"default-src 'self'; script-src {script}; img-src 'self' data:; object-src 'none'; "
        f"base-uri 'self'; form-action 'self'; frame-ancestors 'self'{_connect(connect)}"
    )


def demo_csp(connect: Sequence[str] = ()) -> str:
    """The policy of the demo product page: the banner's own needs only."""
    return DEMO_CSP + _connect(connect)


def _blocked(site_dir: Path, allowed: set[str]) -> tuple[BlockedScript, ...]:
    out: list[BlockedScript] = []
    for page in sorted(site_dir.rglob("*.html")):
        for body in inline_scripts(page.read_text(encoding="utf-8", errors="replace")):
            if body not in allowed:
                out.append(BlockedScript(page.relative_to(site_dir).as_posix(), body))
    return tuple(out)


#: The assets named by their content hash, under a site's ``assets/``: policyforge's stylesheet, the theme's.
_HASHED = ("policyforge.*.css", "stylesheets/*", "javascripts/bundle.*", "javascripts/workers/*")


def write_headers(
    site_dir: Path,
    theme_scripts: Iterable[str] = (),
    connect: Sequence[str] = (),
    found: Iterable[tuple[str, str]] | None = None,
    languages: Iterable[str] = (),
) -> HeadersResult:
    """Write ``_headers`` for the built site; only ``theme_scripts`` (bodies) are allowed inline, and
    ``connect`` as for :func:`site_csp`. The blocked scripts are those of ``found`` (page, body: inline
    scripts the site engine adapter saw in the pages) that are not allowed; without ``found``, the
    built pages are read for them. ``languages``: the translations published under ``/LANG/``, each
    with assets of its own."""
    allowed = set(theme_scripts)
    csp = site_csp((script_hash(body) for body in allowed), connect)
    immutable = ["Cache-Control: public, max-age=31536000, immutable"]
    # Each path gets at most one Cache-Control rule: hosts merge the headers of every matching rule.
    rules = [
        (
            "/*",
            [
                f"Content-Security-Policy: {csp}",
                "Referrer-Policy: strict-origin-when-cross-origin",
                "X-Content-Type-Options: nosniff",
            ],
        ),
        ("/demo/*", [f"Content-Security-Policy: {demo_csp(connect)}"]),
        ("/consent/*", ["Access-Control-Allow-Origin: *"]),  # the snippet loads it with crossorigin + integrity
        ("/consent/consent.*.js", immutable),
        *(
            (f"{prefix}/assets/{path}", immutable)
            for prefix in ("", *(f"/{lang}" for lang in languages))
            for path in _HASHED
        ),
        ("/consent/consent.js", ["Cache-Control: public, max-age=300"]),
        ("/consent/consent-*.js", ["Cache-Control: public, max-age=300"]),  # the other languages' stable names
    ]
    text = "\n".join(f"{path}\n" + "".join(f"  {h}\n" for h in headers) for path, headers in rules)
    (site_dir / "_headers").write_text(text, encoding="utf-8", newline="")
    if found is None:
        return HeadersResult(csp, _blocked(site_dir, allowed))
    blocked = sorted(dict.fromkeys((page, body) for page, body in found if body not in allowed), key=lambda pb: pb[0])
    return HeadersResult(csp, tuple(BlockedScript(page, body) for page, body in blocked))

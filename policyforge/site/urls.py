"""The URL map of the built site: page paths and relative links between pages.

Absolute URLs (for feeds and the banner) come from :meth:`ProjectOptions.url`, which joins a
path from here with ``site_url``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..errors import BuildError

__all__ = [
    "DRAFT_PAGE",
    "NAV_PAGES",
    "POLICY_PAGE",
    "SUBPROCESSORS_PAGE",
    "SUBPROCESSORS_PATH",
    "VERSIONS_PAGE",
    "changes_path",
    "check_url",
    "data_path",
    "relative_url",
    "resolve_document_links",
    "since_path",
    "text_path",
]

# What RFC 3986 allows in a URL (percent-escapes included); quotes, angle brackets, backslashes,
# spaces and control characters are not, so a checked URL cannot break out of an attribute or a
# script string anywhere it is written (the theme writes site_url into the 404 page unescaped).
# The pages every document has (page source paths, relative to its folder): defined here once, for the build,
# the navigation and the adapters (the archived versions and change pages follow text_path and changes_path).
POLICY_PAGE = "index.md"  # the policy in effect
VERSIONS_PAGE = "versions/index.md"  # every version, newest first (only with releases)
DRAFT_PAGE = "draft.md"  # the unreleased draft (only with drafts on)
SUBPROCESSORS_PATH = "subprocessors/"  # recipients added or removed, with its feeds feed.xml and feed.json
SUBPROCESSORS_PAGE = SUBPROCESSORS_PATH + "index.md"  # (only with releases)
NAV_PAGES = (POLICY_PAGE, VERSIONS_PAGE)  # the generated pages in the navigation, in its order
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def check_url(url: str, what: str = "site_url", *, placeholder: bool = False) -> str:
    """``url`` when it is an absolute http(s) URL made of URL characters only; else :class:`BuildError`.

    ``what`` names the setting in the message (``site_url``, ``--policy-url``...); with
    ``placeholder`` a ``{revision}`` in the URL is accepted (``--changes-url``).
    """
    shown = ascii(url)
    bad = _URL_CHARS.sub("", url.replace("{revision}", "") if placeholder else url)
    if bad:
        raise BuildError(
            f"{what} {shown} contains {bad[0]!a}, which a URL may not contain",
            hint="percent-encode it (a space is %20, a quote %22) or remove it",
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BuildError(
            f"{what} {shown} is not an http:// or https:// URL",
            hint="use the public address of the site, e.g. https://privacy.example.com/",
        )
    return url


def text_path(date: str) -> str:
    """Site path of an archived version's text."""
    return f"versions/{date}/"


def changes_path(date: str) -> str:
    """Site path of the page showing what a version changed."""
    return f"changes/{date}/"


def since_path(date: str) -> str:
    """Site path of the page showing every change from ``date`` to the current version."""
    return f"changes/since/{date}/"


def data_path(date: str) -> str:
    """Site path of an archived version as data."""
    return f"versions/{date}/policy.json"


def relative_url(from_page: str, target: str) -> str:
    """Relative URL from a page URL (``versions/2025-03-01/``) to a site path (``consent/consent.js``)."""
    depth = from_page.strip("/").count("/") + 1 if from_page.strip("/") else 0
    return "../" * depth + target.lstrip("/")


_DOC_HREF = re.compile(r'href="doc:([a-z0-9][a-z0-9-]*)(#[^"]*)?"')


def resolve_document_links(html: str, page_url: str, prefixes: Mapping[str, str]) -> str:
    """``href="doc:ID#section"`` links of policy text as relative links from ``page_url``.

    ``prefixes`` maps each document's id to its folder (``""`` for the site's main document); a
    link to a document not in it is left as it is (``check`` and the build refuse such links).
    """

    def link(match: re.Match[str]) -> str:
        prefix = prefixes.get(match.group(1))
        if prefix is None:
            return match.group(0)
        return f'href="{relative_url(page_url, prefix) or "./"}{match.group(2) or ""}"'

    return _DOC_HREF.sub(link, html) if "doc:" in html else html

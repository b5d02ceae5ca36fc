"""Snippets every published page gets: feed autodiscovery, the banner script, the settings link."""

from __future__ import annotations

from html import escape

from .inputs import SiteInputs, relative_url

__all__ = ["SETTINGS_LINK", "head_html"]

SETTINGS_LINK = ('<a class="pf-cookie-settings" href="#cookie-settings" data-policyforge-settings>'
                 "Cookie settings</a>")


def head_html(inputs: SiteInputs, page_url: str) -> str:
    """Tags for ``<head>`` of the page at ``page_url`` (relative links, so any base path works)."""
    tags: list[str] = []
    if inputs.history.releases:
        title = escape(f"{inputs.current.title} — {inputs.current.product}: versions")
        tags += [
            f'<link rel="alternate" type="application/atom+xml" title="{title}" '
            f'href="{relative_url(page_url, "feed.xml")}">',
            f'<link rel="alternate" type="application/feed+json" title="{title}" '
            f'href="{relative_url(page_url, "feed.json")}">',
        ]
    if page_url.startswith("draft/"):
        tags.append('<meta name="robots" content="noindex, nofollow">')
    if inputs.options.banner:
        tags.append(f'<script src="{relative_url(page_url, "consent/consent.js")}" defer></script>')
    return "".join(tags)

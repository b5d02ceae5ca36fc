"""Snippets every published page gets: feed autodiscovery, the banner script, the settings link."""

from __future__ import annotations

from html import escape

from .feeds import feed_title
from .inputs import SiteInputs
from .urls import relative_url

__all__ = ["SETTINGS_LINK", "head_html"]

SETTINGS_LINK = ('<a class="pf-cookie-settings" href="#cookie-settings" data-policyforge-settings>'
                 "Cookie settings</a>")


def head_html(inputs: SiteInputs, page_url: str | None) -> str:
    """Tags for ``<head>`` of the page at ``page_url``.

    Links are relative, so any base path works; ``None`` (the 404 page, served at any URL)
    gets links from the site root instead.
    """

    def link(target: str) -> str:
        return inputs.options.base_path + target if page_url is None else relative_url(page_url, target)

    tags: list[str] = []
    if inputs.history.releases:
        title = escape(feed_title(inputs))
        tags += [
            f'<link rel="alternate" type="application/atom+xml" title="{title}" '
            f'href="{link("feed.xml")}">',
            f'<link rel="alternate" type="application/feed+json" title="{title}" '
            f'href="{link("feed.json")}">',
        ]
    if page_url is not None and page_url.startswith("draft/"):
        tags.append('<meta name="robots" content="noindex, nofollow">')
    if inputs.options.banner:
        tags.append(f'<script src="{link("consent/consent.js")}" defer></script>')
    return "".join(tags)

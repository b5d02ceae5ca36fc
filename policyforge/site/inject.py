"""Snippets every published page gets: feed autodiscovery, the banner script, the settings link; and the words
policyforge hands the theme in the page's language (:func:`theme_words`).

Both are rendered from ``templates/inject/``; the MkDocs adapter inserts them into the theme's output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..banner.languages import carries
from ..banner.stages import stable_name
from .feeds import feed_title
from .inputs import SiteInputs
from .languages import alternates
from .strings import page_language, text
from .templating import render
from .urls import relative_url

__all__ = ["ThemeWords", "document_at", "document_prefixes", "head_html", "settings_link_html", "theme_words"]


@functools.cache
def settings_link_html(lang: str = "en") -> str:
    """The "Cookie settings" link for the theme's footer, in ``lang`` (plain ``str``: safe to splice into the
    theme's HTML)."""
    with page_language(lang):
        return str(render("inject/settings_link.html"))


@dataclass(frozen=True)
class ThemeWords:
    """The words policyforge hands the theme for a language's pages (the theme's own are English there)."""

    to_dark: str  # the colour palette's toggle to a dark (``slate``) palette
    to_light: str  # ... to any other
    permalink: str  # the headings' permanent links (the ``toc`` extension's ``permalink_title``)
    not_found: str  # the 404 page's heading
    made_with: str  # the footer's "Made with Material for MkDocs" (HTML, plain ``str``: safe to splice in)


def theme_words(lang: str = "en") -> ThemeWords:
    """The theme's words that policyforge gives in ``lang``, from the site strings."""
    with page_language(lang):
        return ThemeWords(
            to_dark=text("chrome_to_dark"),
            to_light=text("chrome_to_light"),
            permalink=text("chrome_permalink"),
            not_found=text("chrome_not_found"),
            made_with=str(render("inject/made_with.html")).strip(),
        )


def head_html(inputs: SiteInputs, page_url: str | None, *, everywhere: bool = True) -> str:
    """Tags for ``<head>`` of the page at ``page_url`` (relative to its language's site).

    Links are relative, so any base path works; ``None`` (the 404 page, served at any URL)
    gets links from the site root instead (the path of ``site_url``, escaped by the template).
    In a site with translations, ``hreflang`` alternates name the same page in every language (none when
    ``everywhere`` is False: a page only the original's site has, which has no equivalent to name).
    The banner is the root's first stage in the page's language: ``consent/consent.js`` for the original's, and
    ``consent/consent-<lang>.js`` for a language the banner carries (else ``consent.js``, which speaks the
    page's language with its second stage when it has it).
    """

    def link(target: str) -> str:
        return inputs.options.base_path + target if page_url is None else relative_url(page_url, target)

    home = inputs.lang_prefix
    root = inputs.options.base_path.removesuffix(inputs.options.prefix).removesuffix(home)
    lang = inputs.lang if inputs.lang and carries(inputs.options, inputs.lang) else inputs.options.language
    first = "consent/" + stable_name(lang, inputs.options.language)
    banner = root + first if page_url is None else relative_url(home + page_url, first)
    doc = document_at(inputs, page_url or "")
    here = page_url.removeprefix(doc.options.prefix) if page_url is not None else None
    return str(
        render(
            "inject/head.html",
            title=feed_title(doc) if doc.history.releases else "",
            link=link,
            feeds=doc.options.prefix,
            noindex=here is not None and here.startswith("draft/"),
            banner=banner if inputs.has_banner else "",
            alternates=alternates(inputs, page_url) if everywhere and page_url is not None else [],
        )
    )


def document_at(inputs: SiteInputs, page_url: str) -> SiteInputs:
    """The document a page belongs to (by its folder); the main document for every other page."""
    return next((doc for doc in inputs.documents if page_url.startswith(doc.options.prefix)), inputs)


def document_prefixes(inputs: SiteInputs) -> dict[str, str]:
    """Each document's id (``""`` too in a one-document project) and its folder in the site."""
    return {doc.options.document: doc.options.prefix for doc in inputs.all_documents}

"""A site per language: the inputs of one translation's site, and the links between the languages.

The root of the site is in the original's language (``options.language``); each language of
``options.translations`` is a site of its own under ``/LANG/`` with the same URL map (policy,
versions, changes, feeds, JSON data, every document). A translation's site is built from the
same prepared inputs as the root (the history is loaded, verified and diffed once): only its
options (``site_url`` + ``LANG/``), its language and its texts differ. Nothing here imports a site
engine; the adapter builds each language's site into ``<site_dir>/LANG/``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..translation.drift import Timeline, translate_version
from ..translation.snapshots import frozen_translation
from .inputs import SiteInputs
from .strings import own_name
from .urls import relative_url

__all__ = ["Alternate", "alternates", "language_inputs", "language_prefix"]


def language_prefix(inputs: SiteInputs, lang: str) -> str:
    """The folder of ``lang``'s site under the root: ``""`` for the original's language, else ``LANG/``."""
    return "" if lang == inputs.options.language else f"{lang}/"


def language_inputs(inputs: SiteInputs, lang: str) -> SiteInputs:
    """The inputs of the site in ``lang`` (one of ``options.translations``), from the root's inputs.

    Its ``site_url`` is the root's plus ``LANG/`` (feeds, data and page links point into it); the
    history, its diffs and the released versions are the root's (releases are of the original); its
    current policy is the one in effect with the live translation applied (``prepare`` did that once),
    each release has the translation frozen with it; drafts are published in the original's site only.
    """

    def one(doc: SiteInputs) -> SiteInputs:
        opts = doc.options
        site_url = opts.site_url.rstrip("/") + f"/{lang}/" if opts.site_url else ""
        options = opts.model_copy(update={"site_url": site_url, "draft": False})
        translated = doc.translations.get(lang)  # None: no translation file (the pages show the original)
        timeline = Timeline(doc.history, None)
        releases = {
            rel.date: translate_version(timeline, rel.policy, None, lang)
            for rel in doc.history
            if frozen_translation(rel, lang) is not None
        }  # one frozen with it; earlier ones fill in equal texts
        return dataclasses.replace(
            doc,
            options=options,
            lang=lang,
            root_url=opts.site_url,
            draft=None,
            documents=(),
            current=translated.policy if translated else doc.current,
            original=doc.current,
            translated=translated,
            release_texts=releases,
            translations={},
            timeline=timeline,
        )

    return dataclasses.replace(one(inputs), documents=tuple(one(doc) for doc in inputs.documents))


@dataclass(frozen=True)
class Alternate:
    """The same page in one language of the site."""

    lang: str  # the language tag (``x-default`` for the one shown to visitors of no listed language)
    name: str  # the language's name in itself (``Deutsch``)
    link: str  # the page's path relative to the root of the site being built (``../versions/`` from /de/)
    url: str  # its absolute URL when site_url is set, else its path from the web server's root


def alternates(inputs: SiteInputs, page_url: str | None, *, everywhere: bool = True) -> list[Alternate]:
    """The page at ``page_url`` (relative to its language's site) in every language of the site, original first.

    ``everywhere`` False (a page only the original's site has, such as a docs page or the 404 page):
    each other language's home page instead. The original's entry is repeated last as ``x-default``.
    """
    opts = inputs.options
    if not opts.translations:
        return []
    here = inputs.lang_prefix
    root_url = inputs.root_url or opts.site_url
    root_path = opts.base_path.removesuffix(opts.prefix).removesuffix(here)
    out: list[Alternate] = []
    for lang in opts.site_languages:
        here_too = everywhere or lang == inputs.page_lang  # a page only this site has: itself, else each home
        target = language_prefix(inputs, lang) + ((page_url or "") if here_too else "")
        link = relative_url(here, target) if here else target
        url = (root_url.rstrip("/") + "/" + target) if root_url else root_path + target
        out.append(Alternate(lang, own_name(lang), link, url))
    first = out[0]
    out.append(dataclasses.replace(first, lang="x-default"))
    return out

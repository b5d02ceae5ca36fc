"""One MkDocs build per translation: the site in each language of ``translations``, under ``<site_dir>/LANG/``.

The root build (``policyforge build``, ``serve`` or plain ``mkdocs build``) runs these builds from its
``on_post_build`` (the last one of every plugin's), before its own outputs and headers are written, into
the same temporary folder that is then swapped in whole. Each one is MkDocs' public ``load_config`` of
``mkdocs.yml`` and ``build`` of it (ARCHITECTURE.md says why this mechanism); MkDocs hands the same
plugin instances to every config of a process, so the policyforge plugin is re-entrant (it keeps the root
build's state aside while a language's build runs, :meth:`PolicyForgePlugin.nested`), and the other plugins
have finished the root build before. Each one loads ``mkdocs.yml`` with:

* ``theme.language`` set to the language: the theme's own words, ``<html lang>``, the text direction
  (right to left for Arabic, Hebrew, Persian, Urdu) and the default search language; the colour palette's
  toggles named in the language (from the site strings), as are the ``toc`` extension's permanent links;
* the search plugin's ``lang`` set to the language when lunr supports it, with that language's stop
  words and word characters (its trimmer); its stemmer stays off, as in the theme's default, because
  the theme searches every term as a prefix (``term*``), which lunr does not stem;
* ``site_url`` + ``LANG/`` and ``site_dir`` = ``<build folder>/LANG/``; ``site_name`` the main document's
  product and title in that language (``GPT Image 2 Datenschutzerklärung``), shown in the header of every
  page and after each page's title in ``<title>``;
* the policyforge entry set to the project's options, and handed the root's prepared inputs in that
  language (:func:`policyforge.site.languages.language_inputs`): the history is loaded, verified and
  diffed once for every language;
* ``extra.scope`` set to the root's path (unless mkdocs.yml sets it): the theme keeps a visitor's settings,
  such as the colour palette, in one place for every language (``/.__palette``, not ``/de/.__palette``);
* a navigation of policyforge's pages only (each document's policy and version history): the
  project's own docs pages are in the original's language and stay in the root site (their static
  files, such as stylesheets and images, are copied into every language).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from ..site.inject import ThemeWords, theme_words
from ..site.inputs import SiteInputs
from ..site.languages import language_inputs
from ..site.urls import POLICY_PAGE, VERSIONS_PAGE
from ..source.options import PluginOptions, ProjectOptions
from .theme import ThemeScripts

__all__ = ["build_languages", "plugin_entries", "run_build"]

log = logging.getLogger("mkdocs.plugins.policyforge")
_SEARCH = ("search", "material/search")
_PIPELINE = ("stopWordFilter", "trimmer")

# Builds one language's site from its loaded config: the plugin's re-entrant build (``PolicyForgePlugin.nested``),
# returning the inline scripts of that site (the theme's, and the others its pages have).
LanguageBuild = Callable[[MkDocsConfig, SiteInputs], ThemeScripts]


def _raw(config_file: Path) -> MkDocsConfig:
    """mkdocs.yml as read by MkDocs' own loader, not yet validated."""
    conf = MkDocsConfig(config_file_path=str(config_file))
    with config_file.open("rb") as fd:
        conf.load_file(fd)
    return conf


def _named(entry: Any) -> str:
    return entry if isinstance(entry, str) else str(next(iter(entry), "")) if isinstance(entry, dict) else ""


def plugin_entries(options: ProjectOptions, *, search_lang: str | None = None) -> dict[str, Any] | list[Any]:
    """mkdocs.yml's ``plugins`` with the policyforge entry set to ``options`` (and, with ``search_lang``,
    the search plugin's ``lang`` set to it).

    In MkDocs' mapping form (``{name: options}``), which MkDocs reads without emptying it, so ``serve`` can
    validate the same override again on every rebuild; a plugin listed twice keeps the list form.
    """
    assert options.config_file is not None
    settings: dict[str, Any] = options.model_dump(include=set(PluginOptions.model_fields))
    settings["source"] = str(options.source)
    plugins = _raw(options.config_file).get("plugins") or []
    listed = [{name: value} for name, value in plugins.items()] if isinstance(plugins, dict) else plugins
    entries: list[tuple[str, Any]] = []
    for entry in listed:
        name = _named(entry)
        own = dict(entry[name] or {}) if isinstance(entry, dict) else {}
        if name == "policyforge":
            own = settings
        elif name in _SEARCH and search_lang is not None:
            # lunr's pipeline of that language, without its stemmer: the theme appends `*` to every query term
            # and lunr does not stem such terms, so a stemmed index would make whole words unfindable
            # ("Einleitung*" never matches the stem "einleit"); the theme's prefix matching stands in for it.
            own.setdefault("pipeline", list(_PIPELINE))
            own["lang"] = [search_lang]
        entries.append((name, own))
    names = [name for name, _ in entries]
    if len(set(names)) == len(names):
        return dict(entries)
    return [{name: own} for name, own in entries]


@functools.cache
def _lunr_languages() -> frozenset[str]:
    """The languages lunr (as shipped by the theme) has a stemmer for."""
    try:
        folder = resources.files("material").joinpath("templates/assets/javascripts/lunr/min")
        names = [entry.name for entry in folder.iterdir()]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return frozenset()
    return frozenset(n.removeprefix("lunr.").removesuffix(".min.js") for n in names if n.startswith("lunr."))


def search_language(lang: str) -> str | None:
    """The search plugin's ``lang`` for pages in ``lang``: its lunr language, or None (the theme's default)."""
    base = lang.split("-")[0].lower()
    return base if base in _lunr_languages() else None


def _palette(palette: Any, words: ThemeWords) -> Any:
    """mkdocs.yml's ``theme.palette`` with each toggle named in ``words``'s language: a toggle switches to the next
    palette (the first after the last), to the dark mode when that one's scheme is ``slate``, else to the light mode."""
    schemes = [dict(one) for one in palette] if isinstance(palette, list) else palette
    if not isinstance(schemes, list):
        return palette
    for i, scheme in enumerate(schemes):
        if isinstance(scheme.get("toggle"), dict):
            dark = schemes[(i + 1) % len(schemes)].get("scheme") == "slate"
            scheme["toggle"] = {**scheme["toggle"], "name": words.to_dark if dark else words.to_light}
    return schemes


def _theme(raw: MkDocsConfig, lang: str, words: ThemeWords) -> dict[str, Any]:
    theme = raw.get("theme") or {}
    settings = {"name": theme} if isinstance(theme, str) else dict(theme)
    settings["language"] = lang
    settings.pop("direction", None)  # the language's own direction
    if "palette" in settings:
        settings["palette"] = _palette(settings["palette"], words)
    return settings


def _extensions(raw: MkDocsConfig, words: ThemeWords) -> list[Any]:
    """mkdocs.yml's ``markdown_extensions`` with the ``toc`` extension's permanent links titled in ``words``'s
    language."""
    listed = raw.get("markdown_extensions") or []
    entries = [{name: value} for name, value in listed.items()] if isinstance(listed, dict) else list(listed)
    for i, entry in enumerate(entries):
        if _named(entry) == "toc":
            own = dict(entry["toc"] or {}) if isinstance(entry, dict) else {}
            entries[i] = {"toc": {**own, "permalink_title": words.permalink}}
    return entries


def _nav(inputs: SiteInputs) -> list[Any]:
    """The main document's policy page and version history, then each other document's under its title."""

    def pages(doc: SiteInputs) -> list[str]:
        return [
            doc.options.prefix + page
            for page in (POLICY_PAGE, *((VERSIONS_PAGE,) if doc.history.newest is not None else ()))
        ]

    return [*pages(inputs), *({doc.current.title: pages(doc)} for doc in inputs.documents)]


def _site_name(inputs: SiteInputs) -> str:
    """The site's name in a language: its main document's product and title (``GPT Image 2 Datenschutzerklärung``)."""
    return f"{inputs.current.product} {inputs.current.title}"


def run_build(cfg: MkDocsConfig) -> None:
    """``mkdocs build`` of a loaded config, with its plugins' startup and shutdown events (as MkDocs' CLI runs it)."""
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()


def build_languages(inputs: SiteInputs, out: Path, build_one: LanguageBuild) -> ThemeScripts:
    """Build the site of every translation into ``out/LANG/`` with ``build_one``; returns their inline scripts
    (pages named from ``out``).

    Raises what MkDocs raises (a ``PluginError`` chaining a :class:`PolicyError`), like the root build.
    """
    options = inputs.options
    scripts = ThemeScripts()
    if options.config_file is None or not options.translations:
        return scripts
    raw = _raw(options.config_file)
    root_path = urlsplit(options.site_url).path.rstrip("/") + "/" if options.site_url else "/"
    for lang in options.translations:
        lang_inputs = language_inputs(inputs, lang)
        words = theme_words(lang)
        cfg = load_config(
            str(options.config_file),
            site_dir=str(out / lang),
            site_name=_site_name(lang_inputs),
            site_url=lang_inputs.options.site_url or None,
            theme=_theme(raw, lang, words),
            markdown_extensions=_extensions(raw, words),
            plugins=plugin_entries(options, search_lang=search_language(lang)),
            nav=_nav(lang_inputs),
        )
        if "scope" not in cfg.extra:  # the theme's stored settings (palette...) shared with the root's pages
            cfg.extra["scope"] = root_path
        scripts.merge(build_one(cfg, lang_inputs), f"{lang}/")
    return scripts

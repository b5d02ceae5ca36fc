"""The generated pages' own words (headings, notices, link texts) in the page's language.

The texts live in ``strings.yaml`` next to this module: one entry per text, keyed by language
(at least en, de, ar, fr, es, it, nl, pl, pt). A language without a text falls back to its base
language (``pt-BR`` → ``pt``), then to English. Dates and language names come from Babel (the
CLDR data), so they read right in every language Babel knows; so does the text direction
(:func:`~policyforge.source.locales.text_direction`, re-exported here).

The page language is set for a stretch of rendering with :func:`page_language`; :func:`text` and
:func:`format_date` (and the templates' ``t()`` and ``date`` filter) follow it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from typing import Any

import yaml
from babel.dates import format_date as babel_date

from ..source.locales import babel_locale, text_direction
from ..source.taxonomy import TaxonomyKind, taxonomy_name

__all__ = [
    "country_name",
    "current_language",
    "fact_label",
    "format_date",
    "language_name",
    "original_language",
    "own_name",
    "page_language",
    "strings",
    "text",
    "text_direction",
]

_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("policyforge_page_language", default="en")
_ORIGINAL: contextvars.ContextVar[str] = contextvars.ContextVar("policyforge_original_language", default="")
_LABELS: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "policyforge_labels", default=types.MappingProxyType({})
)


@functools.cache
def strings() -> Mapping[str, Mapping[str, str]]:
    """Every text: key → language → text (read once from ``strings.yaml``)."""
    raw = resources.files("policyforge.site").joinpath("strings.yaml").read_text(encoding="utf-8")
    # Our own package data: libyaml's safe loader when PyYAML has it (ten times faster on every build).
    data: dict[str, dict[str, str]] = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


@contextmanager
def page_language(lang: str, original: str | None = None, labels: Mapping[str, str] | None = None) -> Iterator[None]:
    """Render in ``lang`` inside the ``with`` block; ``original``: the language of the original texts shown on
    those pages (release summaries, redlines), when it is not ``lang`` (a translation's pages); ``labels``: the
    names of fideslang keys in ``lang``, from the translation file (:func:`fact_label`)."""
    token = _LANG.set(lang or "en")
    original_token = _ORIGINAL.set(original if original and original != lang else "")
    labels_token = _LABELS.set(labels or {})
    try:
        yield
    finally:
        _LANG.reset(token)
        _ORIGINAL.reset(original_token)
        _LABELS.reset(labels_token)


def fact_label(kind: TaxonomyKind, key: str) -> tuple[str, bool]:
    """The name of a fideslang key on the page: (the translation file's name, True), or (fideslang's English
    name, False) when the page's translation gives none."""
    own = _LABELS.get().get(key)
    return (own, True) if own else (taxonomy_name(kind, key), False)


def original_language() -> str:
    """The language of the original texts on the pages being rendered, when it is not theirs; else ``""``."""
    return _ORIGINAL.get()


def current_language() -> str:
    """The language pages are being rendered in (``en`` outside :func:`page_language`)."""
    return _LANG.get()


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


def text(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The text ``key`` in ``lang`` (default: the current page language), with ``{name}`` filled from ``params``."""
    lang = lang or _LANG.get()
    entry = strings()[key]
    template = entry.get(lang) or entry.get(_base(lang)) or entry["en"]
    return template.format(**params) if params else template


def format_date(value: dt.date | None, lang: str | None = None) -> str:
    """A date in words in ``lang`` (default: the current page language): ``March 1, 2025``, ``1. März 2025``.

    ``None`` (no date) reads "not yet in effect".
    """
    lang = lang or _LANG.get()
    if value is None:
        return text("not_in_effect", lang)
    locale = babel_locale(lang)
    if locale is None or (_base(lang) == "en" and lang.lower() in ("en", "en-us")):
        return f"{value:%B} {value.day}, {value.year}"
    return str(babel_date(value, format="long", locale=locale))


def language_name(code: str, in_lang: str | None = None) -> str:
    """The name of language ``code`` in ``in_lang`` (default: the current page language): ``Englisch``."""
    locale = babel_locale(in_lang or _LANG.get())
    target = babel_locale(code)
    if locale is None or target is None:
        return code
    name = target.get_language_name(locale)
    return str(name) if name else code


def own_name(code: str) -> str:
    """The name of a language in itself, capitalised as a menu entry: ``Deutsch``, ``Français``, ``العربية``."""
    locale = babel_locale(code)
    name = str(locale.get_display_name(locale) or code) if locale is not None else code
    return name[:1].upper() + name[1:]


def country_name(code: str, in_lang: str | None = None) -> str:
    """The name of country ``code`` (ISO 3166) in ``in_lang`` (default: the page's language): ``Vereinigte Staaten``."""
    locale = babel_locale(in_lang or _LANG.get())
    name = locale.territories.get(code) if locale is not None else None
    return str(name) if name else code

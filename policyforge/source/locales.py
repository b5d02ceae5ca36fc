"""Language tags as Babel locales (the CLDR data): the one place that says how a language is written.

:func:`text_direction` is what every output uses for ``dir``: the site's pages and the banner's
configuration (its ``rtl`` list), so a language is right to left wherever CLDR says so (Arabic, Hebrew,
Persian, Urdu, Pashto, Yiddish, Central Kurdish, Dhivehi, Sindhi, Uyghur, and scripts such as ``pa-Arab``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Literal

from babel import Locale, UnknownLocaleError

__all__ = ["Direction", "babel_locale", "right_to_left", "text_direction"]

Direction = Literal["ltr", "rtl"]


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


@functools.cache
def babel_locale(lang: str) -> Locale | None:
    """The Babel locale of a language tag (``pt-BR``, ``pa-Arab``), else of its base language, else None."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(_base(lang))
        except (UnknownLocaleError, ValueError):
            return None


def text_direction(lang: str) -> Direction:
    """``rtl`` for a language (or script) CLDR writes right to left, else ``ltr`` (unknown tags too)."""
    locale = babel_locale(lang)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


def right_to_left(langs: Iterable[str]) -> list[str]:
    """The languages of ``langs`` written right to left, in their order (the banner configuration's ``rtl``)."""
    return [lang for lang in langs if text_direction(lang) == "rtl"]

"""Durations in words of any language: an ISO 8601 period (``P14M``) through CLDR's unit patterns (Babel).

A cookie's ``duration`` and an activity's retention ``period`` may be written as a period; the site shows
it in each page's language ("14 months", "14 Monate") and the banner in its own. A duration written as text
(``session``, ``180 days``: files released before periods existed) stays valid and is shown as written.
"""

from __future__ import annotations

import re

from babel.lists import format_list
from babel.units import format_unit

from .locales import babel_locale

__all__ = ["duration_meaning", "format_duration", "is_period"]

_PERIOD = re.compile(r"^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_UNITS = ("duration-year", "duration-month", "duration-week", "duration-day")


def is_period(value: str) -> bool:
    """True for an ISO 8601 period in whole years, months, weeks or days (``P14M``, ``P1Y6M``)."""
    return _PERIOD.match(value) is not None


def format_duration(value: str, lang: str) -> str:
    """An ISO 8601 period in words of ``lang``; any other text as it is.

    ``P14M`` → "14 months" (``en``), "14 Monate" (``de``); ``P1Y6M`` → "1 year, 6 months". A language Babel does
    not know reads English.
    """
    match = _PERIOD.match(value)
    locale = babel_locale(lang) or babel_locale("en")
    if match is None or locale is None:
        return value
    parts = [
        format_unit(int(amount), unit, length="long", locale=locale)
        for amount, unit in zip(match.groups(), _UNITS, strict=True)
        if amount is not None
    ]
    return str(format_list(parts, style="unit", locale=locale))


def duration_meaning(value: str) -> str:
    """What a duration says, whichever way it is written: a period as its English words (``P180D`` → "180 days"),
    a text as it is. The consent revision and the cookie diff compare this, so a duration written as text before
    periods existed (``180 days``) and rewritten as the period of the same words (``P180D``) is no change."""
    return format_duration(value, "en")

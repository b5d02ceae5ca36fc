"""Dates of the history: strict ``YYYY-MM-DD`` parsing and the day that decides what is in effect."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from ..errors import BuildError

__all__ = ["TODAY_ENV", "build_today", "date_problem", "parse_date"]

TODAY_ENV = "POLICYFORGE_TODAY"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date | None:
    """A strict ``YYYY-MM-DD`` date, or None (for ``2025-02-30``, ``20250101``, ...)."""
    if not _ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a usable date, or None when it is one.

    ``2026-02-30`` is *impossible* (February 2026 has 28 days), ``2026-2-3`` is not in the form
    ``YYYY-MM-DD``: the two are told apart so the message says what to fix.
    """
    if not _ISO_DATE.match(text):
        return f"{text!r} is not a date in the form YYYY-MM-DD"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        year, month, day = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            return f"{text!r} is an impossible date: there is no month {month}"
        last = calendar.monthrange(year, month)[1] if year >= 1 else 31
        return (
            f"{text!r} is an impossible date: {calendar.month_name[month]} {year} has {last} days"
            if day > last or day < 1
            else f"{text!r} is an impossible date"
        )
    return None


def build_today() -> dt.date:
    """The date that decides which release is in effect: ``$POLICYFORGE_TODAY`` or the system date.

    This is the only place that reads the clock or the variable; set ``POLICYFORGE_TODAY=YYYY-MM-DD``
    to preview the site as it will be on another day (and in tests).
    """
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return dt.date.today()
    day = parse_date(raw)
    if day is None:
        raise BuildError(f"{TODAY_ENV}: {date_problem(raw)}; unset it to use today's date")
    return day

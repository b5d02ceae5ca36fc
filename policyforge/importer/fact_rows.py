"""One table cell → one fact's value: a country's ISO code, a safeguard, a legal basis, a retention, a data use.

Each function returns the value, or None when the cell says nothing it can map; the caller then lists
the cell as a note with its source line. Country names are CLDR's English territory names (Babel), so
``Germany``, ``United States`` and ``US`` all map; a cell naming a region (``EU``, ``Worldwide``) or
several countries does not.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from babel import Locale

__all__ = ["country_code", "data_use", "legal_basis", "retention", "safeguard"]

_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_ALIASES = {"usa": "US", "u s": "US", "u s a": "US", "united states of america": "US", "uk": "GB", "england": "GB"}
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_PERIOD = re.compile(r"^(\d{1,4})\s*(day|week|month|year)s?\b(?:\s+(?:after|from|following)\s+(?P<after>.+))?$", re.I)
_BASES = (
    (re.compile(r"6\s*\(1\)\s*\(?a\b|\bconsent", re.I), "consent"),
    (re.compile(r"6\s*\(1\)\s*\(?b\b|\bcontract|performance of", re.I), "contract"),
    (re.compile(r"6\s*\(1\)\s*\(?c\b|legal obligation|required by law|statutory", re.I), "legal_obligation"),
    (re.compile(r"6\s*\(1\)\s*\(?d\b|vital interest", re.I), "vital_interests"),
    (re.compile(r"6\s*\(1\)\s*\(?e\b|public (task|interest)", re.I), "public_task"),
    (re.compile(r"6\s*\(1\)\s*\(?f\b|legitimate interest", re.I), "legitimate_interests"),
)
_SAFEGUARDS = (
    (re.compile(r"\bsccs?\b|standard contractual|model clauses", re.I), "sccs"),
    (re.compile(r"\bbcrs?\b|binding corporate", re.I), "bcrs"),
    (re.compile(r"adequacy|data privacy framework|\bdpf\b", re.I), "adequacy"),
    (re.compile(r"derogation|art(icle)?\.?\s*49", re.I), "derogation"),
)
# A purpose's words → the fideslang data use it most likely is (a guess the editor confirms)
_USES = (
    (re.compile(r"advertis|\bads?\b|retarget", re.I), "marketing.advertising"),
    (re.compile(r"newsletter|marketing e-?mail|promotion", re.I), "marketing.communications.email"),
    (re.compile(r"marketing", re.I), "marketing"),
    (re.compile(r"analytic|statistic|measur|usage", re.I), "analytics.reporting"),
    (re.compile(r"security|fraud|abuse", re.I), "essential.service.security"),
    (re.compile(r"payment|billing|invoice", re.I), "essential.service.payment_processing"),
    (re.compile(r"log.?in|authenticat|account", re.I), "essential.service.authentication"),
    (re.compile(r"legal|tax|law\b|compliance", re.I), "essential.legal_obligation"),
    (re.compile(r"recruit|applica|hiring", re.I), "employment.recruitment"),
    (re.compile(r"personali[sz]", re.I), "personalize"),
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


@functools.cache
def _countries() -> dict[str, str]:
    codes = {str(code): str(name) for code, name in Locale("en").territories.items()}
    codes = {code: name for code, name in codes.items() if len(code) == 2 and code.isalpha()}
    names = {_words(name): code for code, name in codes.items()} | {code.casefold(): code for code in codes}
    return {k: v for k, v in names.items() if v not in _NOT_COUNTRIES}


def country_code(cell: str) -> str | None:
    """``Germany``, ``DE``, ``United States (us-east-1)`` → the ISO 3166 code; None for a region or several."""
    text = re.sub(r"\(.*?\)", " ", cell)
    if re.search(r"[,;/&]|\band\b", text):
        return None
    key = _words(text)
    return _ALIASES.get(key) or _countries().get(key)


def safeguard(cell: str) -> str | None:
    """``Standard Contractual Clauses`` → ``sccs``; adequacy (the EU-US Data Privacy Framework too), BCRs."""
    return next((value for pattern, value in _SAFEGUARDS if pattern.search(cell)), None)


def legal_basis(cell: str) -> str | None:
    """``Art. 6(1)(b) GDPR``, ``Performance of a contract`` → ``contract``; None for none or several."""
    found = {value for pattern, value in _BASES if pattern.search(cell)}
    return found.pop() if len(found) == 1 else None


def retention(cell: str) -> dict[str, Any]:
    """``24 months``, ``30 days after account deletion`` → a period (with ``after``); anything else the criteria."""
    match = _PERIOD.match(cell.strip().rstrip("."))
    if match is None:
        return {"criteria": cell.strip()}
    out: dict[str, Any] = {"period": f"P{int(match.group(1))}{_UNITS[match.group(2).lower()]}"}
    return out | ({"after": match.group("after").strip()} if match.group("after") else {})


def data_use(purpose: str) -> str:
    """The fideslang data use a purpose most likely is, ``essential.service`` when its words say nothing."""
    return next((value for pattern, value in _USES if pattern.search(purpose)), "essential.service")

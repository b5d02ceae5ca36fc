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
from pydantic import TypeAdapter, ValidationError

from ..source.facts import Country

__all__ = ["country_code", "data_use", "legal_basis", "matches", "retention", "safeguard"]

_COUNTRY: TypeAdapter[str] = TypeAdapter(Country)
_ALIASES = {"usa": "US", "u s": "US", "u s a": "US", "united states of america": "US", "uk": "GB", "england": "GB"}
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_PERIOD = re.compile(r"^(\d{1,4})\s*(day|week|month|year)s?\b(?:\s+(?:after|from|following)\s+(.+))?$", re.I)
# The words that name each value, per kind of cell (the first that matches wins; a basis must match once)
_RULES: dict[str, dict[str, str]] = {
    "basis": {
        "consent": r"6\s*\(1\)\s*\(?a\b|\bconsent",
        "contract": r"6\s*\(1\)\s*\(?b\b|\bcontract|performance of",
        "legal_obligation": r"6\s*\(1\)\s*\(?c\b|legal obligation|required by law|statutory",
        "vital_interests": r"6\s*\(1\)\s*\(?d\b|vital interest",
        "public_task": r"6\s*\(1\)\s*\(?e\b|public (task|interest)",
        "legitimate_interests": r"6\s*\(1\)\s*\(?f\b|legitimate interest",
    },
    "safeguard": {
        "sccs": r"\bsccs?\b|standard contractual|model clauses",
        "bcrs": r"\bbcrs?\b|binding corporate",
        "adequacy": r"adequacy|data privacy framework|\bdpf\b",
        "derogation": r"derogation|art(icle)?\.?\s*49",
    },
    # a purpose's words → the fideslang data use it most likely is (a guess the editor confirms)
    "data_use": {
        "marketing.advertising": r"advertis|\bads?\b|retarget",
        "marketing.communications.email": r"newsletter|marketing e-?mail|promotion",
        "marketing": r"marketing",
        "analytics.reporting": r"analytic|statistic|measur|usage",
        "essential.service.security": r"security|fraud|abuse",
        "essential.service.payment_processing": r"payment|billing|invoice",
        "essential.service.authentication": r"log.?in|authenticat|account",
        "essential.legal_obligation": r"legal|tax|law\b|compliance",
        "employment.recruitment": r"recruit|applica|hiring",
        "personalize": r"personali[sz]",
    },
    # a cookie table's category words → the consent category the cookie goes into
    "category": {
        "essential": r"necessary|essential|required|strictly",
        "functional": r"functional|preference|functionality",
        "analytics": r"analytic|performance|statistic|measurement",
        "marketing": r"marketing|advertis|targeting|social",
    },
}


def matches(kind: str, cell: str) -> list[str]:
    """The values of ``kind`` whose words ``cell`` contains, in the table's order."""
    return [value for value, pattern in _RULES[kind].items() if re.search(pattern, cell, re.IGNORECASE)]


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


@functools.cache
def _countries() -> dict[str, str]:
    codes = {str(code): str(name) for code, name in Locale("en").territories.items() if _is_country(str(code))}
    return {_words(name): code for code, name in codes.items()} | {code.casefold(): code for code in codes}


def _is_country(code: str) -> bool:
    """A code the policy accepts as a recipient's country (facts.py's rule: CLDR's, without unions and the like)."""
    try:
        _COUNTRY.validate_python(code)
    except ValidationError:
        return False
    return len(code) == 2


def country_code(cell: str) -> str | None:
    """``Germany``, ``DE``, ``United States (us-east-1)`` → the ISO 3166 code; None for a region or several."""
    text = re.sub(r"\(.*?\)", " ", cell)
    if re.search(r"[,;/&]|\band\b", text):
        return None
    key = _words(text)
    return _ALIASES.get(key) or _countries().get(key)


def safeguard(cell: str) -> str | None:
    """``Standard Contractual Clauses`` → ``sccs``; adequacy (the EU-US Data Privacy Framework too), BCRs."""
    return next(iter(matches("safeguard", cell)), None)


def legal_basis(cell: str) -> str | None:
    """``Art. 6(1)(b) GDPR``, ``Performance of a contract`` → ``contract``; None for none or several."""
    found = matches("basis", cell)
    return found[0] if len(found) == 1 else None


def retention(cell: str) -> dict[str, Any]:
    """``24 months``, ``30 days after account deletion`` → a period (with ``after``); anything else the criteria."""
    match = _PERIOD.match(cell.strip().rstrip("."))
    if match is None:
        return {"criteria": cell.strip()}
    out: dict[str, Any] = {"period": f"P{int(match.group(1))}{_UNITS[match.group(2).lower()]}"}
    return out | ({"after": match.group(3).strip()} if match.group(3) else {})


def data_use(purpose: str) -> str:
    """The fideslang data use a purpose most likely is, ``essential.service`` when its words say nothing."""
    return next(iter(matches("data_use", purpose)), "essential.service")

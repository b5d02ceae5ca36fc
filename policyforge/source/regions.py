"""Regional consent rules: the consent mode a policy declares per region, and the mode of a visitor's region.

A region key of ``consent.regions`` is ``eu`` (the EEA: the EU's member states, Iceland, Liechtenstein and
Norway, where the GDPR and the ePrivacy rules apply), ``uk`` (``GB``), a country's ISO 3166-1 alpha-2 code
(``us``, ``br``) or a subdivision's ISO 3166-2 code (``us-ca``, ``ca-qc``), in lower case like the
``jurisdictions``. Its value is ``opt-in`` (nothing optional before consent) or ``opt-out`` (optional
categories on until the visitor opts out). A visitor's region is an ISO code, ``US-CA`` or ``US``; the most
specific declaration wins (subdivision, then country, then ``eu``/``uk``), and an undeclared or unknown
region is opt-in (:func:`effective_modes`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Literal

from babel import Locale
from pydantic import AfterValidator, WithJsonSchema

from .facts import EEA

__all__ = ["GROUPS", "OPT_IN", "OPT_OUT", "Mode", "RegionKey", "Regions", "effective_modes", "region_codes"]

OPT_IN = "opt-in"
OPT_OUT = "opt-out"
Mode = Literal["opt-in", "opt-out"]

#: The keys that name more than one country, with the ISO codes they stand for.
GROUPS: dict[str, frozenset[str]] = {"eu": EEA, "uk": frozenset({"GB"})}

_SUBDIVISION = re.compile(r"^([a-z]{2})-([a-z0-9]{1,3})$")
# CLDR territories that are no country (unions, pseudo-locales, the unknown region): as in facts.py.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


def _countries() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code CLDR knows, in lower case, with its English name."""
    names = Locale("en").territories
    return {code.lower(): name for code, name in names.items() if code.isalpha() and code not in _NOT_COUNTRIES}


def _known(key: str, countries: Mapping[str, str]) -> bool:
    match = _SUBDIVISION.match(key)
    return key in GROUPS or key in countries or bool(match and match.group(1) in countries)


def _check_key(key: str) -> str:
    countries = _countries()
    if _known(key, countries):
        return key
    spelled = key.strip().lower().replace("_", "-").replace(" ", "-")
    named = [code for code, name in countries.items() if name.casefold() == key.casefold()]
    close = [spelled] if _known(spelled, countries) else named
    close = close or difflib.get_close_matches(spelled, [*GROUPS, *countries], n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(
        f"{key!r} is not a region: write eu, uk, a country's ISO 3166-1 code (us, br) or a subdivision's "
        f"ISO 3166-2 code (us-ca), in lower case{hint}"
    )


#: A key of ``consent.regions``, checked with did-you-mean.
RegionKey = Annotated[
    str,
    AfterValidator(_check_key),
    WithJsonSchema({"type": "string", "pattern": r"^(eu|uk|[a-z]{2}|[a-z]{2}-[a-z0-9]{1,3})$"}),
]


class Regions(dict[str, Mode]):
    """``consent.regions`` as the frozen model keeps it: a mapping that hashes (a policy is hashable)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def region_codes(key: str) -> frozenset[str]:
    """The ISO codes a region key stands for, in upper case (``eu``: the EEA's countries; ``us-ca``: ``US-CA``)."""
    return GROUPS.get(key) or frozenset({key.upper()})


def _rank(key: str) -> int:
    """How specific a key is: a group 0, a country 1, a subdivision 2."""
    return 0 if key in GROUPS else 2 if "-" in key else 1


def effective_modes(regions: Mapping[str, str]) -> dict[str, str]:
    """Each ISO code whose mode differs from what a visitor there would get without it, with its mode.

    A country's mode is its most specific declaration (its own key, else its group's), else opt-in; a
    subdivision's is its own where declared. Entries equal to their fallback (a country's: opt-in; a
    subdivision's: its country's) are left out, so the banner resolves a visitor's ``US-CA`` as: ``US-CA`` if
    listed, else ``US`` if listed, else opt-in.
    """
    chosen: dict[str, tuple[int, str]] = {}
    for key, mode in regions.items():
        for code in region_codes(key):
            if code not in chosen or chosen[code][0] < _rank(key):
                chosen[code] = (_rank(key), mode)
    out: dict[str, str] = {}
    for code, (_, mode) in sorted(chosen.items()):
        fallback = chosen.get(code.split("-")[0], (0, OPT_IN))[1] if "-" in code else OPT_IN
        if mode != fallback:
            out[code] = mode
    return out

"""fideslang's default taxonomy (data uses, data categories, data subjects) as generated data.

``taxonomy.json`` is written from the pinned fideslang by ``scripts/fideslang_taxonomy.py``
(``make taxonomy``), never by hand; a test fails when it is stale. An unknown key is refused with
the closest keys of the taxonomy as did-you-mean.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any, Literal

__all__ = ["TaxonomyKind", "check_key", "fideslang_version", "taxonomy", "taxonomy_name"]

TaxonomyKind = Literal["data_use", "data_category", "data_subject"]

_LABELS: dict[str, str] = {
    "data_use": "data use",
    "data_category": "data category",
    "data_subject": "data subject",
}


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("taxonomy.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def taxonomy(kind: TaxonomyKind) -> dict[str, dict[str, Any]]:
    """Every key of one part of the taxonomy with its English name and parent key."""
    part: dict[str, dict[str, Any]] = _data()[kind]
    return part


def fideslang_version() -> str:
    """The fideslang release the taxonomy was generated from."""
    return str(_data()["fideslang"])


def taxonomy_name(kind: TaxonomyKind, key: str) -> str:
    """fideslang's English name of ``key`` (the default label)."""
    return str(taxonomy(kind)[key]["name"])


def check_key(kind: TaxonomyKind, key: str) -> str:
    """``key`` when the taxonomy has it, else :class:`ValueError` naming the closest keys."""
    keys = taxonomy(kind)
    if key in keys:
        return key
    close = difflib.get_close_matches(key, list(keys), n=2, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    raise ValueError(f"unknown {_LABELS[kind]} {key!r} in fideslang {fideslang_version()}'s taxonomy{hint}")

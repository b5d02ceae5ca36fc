"""The facts' prose in a translation: processing activities, recipients and the controller's parties.

A fact is data (fideslang keys, legal bases, periods, countries, ids: never translated, shown in each
language by the site) with some prose around it: an activity's purpose, its legitimate interest, retention
criteria or event, the consequence of not providing the data, a data source, automated decisions' logic; a
recipient's purpose; the controller's address and its parties' addresses. A translation file translates that
prose by id, in the shape of the original (``retention: {criteria: ...}``), in three groups: ``activities``,
``recipients`` and ``controller``. Each entry is a part with its own fingerprint, like a section, so adding
facts makes no existing part stale. Names (a recipient's, a party's, the authority's) may be translated too,
or left to the original's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel

from ..source.facts import FACT_PROSE
from ..source.model import Policy, Section
from .fingerprints import digest
from .shape import is_text

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

__all__ = [
    "CONTROLLER_KEY",
    "FACT_GROUPS",
    "FactKind",
    "apply_fact",
    "fact_body",
    "fact_key",
    "fact_parts",
    "fact_shape_problems",
    "fact_texts",
    "fact_title",
    "find_fact",
    "fingerprint_fact",
    "flatten",
    "read_facts",
    "unflatten",
]

FactKind = Literal["activity", "recipient", "controller"]


@dataclass(frozen=True)
class _Part:
    group: str  # the translation file's key
    texts: tuple[str, ...]  # the prose, as dotted paths into the fact
    names: tuple[str, ...] = ()  # of which a translation may leave these out (the original's is shown)


_GROUPS = {"activity": "activities", "recipient": "recipients", "controller": "controller"}
_PARTS = {kind: _Part(_GROUPS[kind], *FACT_PROSE[kind]) for kind in _GROUPS}
#: The translation file's key of each kind of fact.
FACT_GROUPS: dict[str, str] = {kind: part.group for kind, part in _PARTS.items()}
CONTROLLER_KEY = "controller"


def fact_key(kind: str, key: str) -> str:
    """A fact's key among a translation's parts: ``activity:ID``, ``recipient:ID``, ``controller``."""
    return CONTROLLER_KEY if kind == "controller" else f"{kind}:{key}"


def fact_parts(policy: Policy) -> list[tuple[FactKind, str, BaseModel]]:
    """Every fact of ``policy`` with prose to translate: (kind, id, the fact); the controller's id is ``""``."""
    out: list[tuple[FactKind, str, BaseModel]] = [("activity", a.id, a) for a in policy.processing]
    out += [("recipient", r.id, r) for r in policy.recipients]
    if fact_texts(policy.controller, "controller"):
        out.append(("controller", "", policy.controller))
    return out


def find_fact(policy: Policy, kind: str, key: str) -> BaseModel | None:
    """The fact of ``kind`` with id ``key`` in ``policy`` (the controller, when it has prose), or None."""
    return next((m for k, i, m in fact_parts(policy) if k == kind and i == key), None)


def _get(model: Any, path: str) -> Any:
    for name in path.split("."):
        model = getattr(model, name, None) if isinstance(model, BaseModel) else None
    return model


def fact_texts(model: BaseModel, kind: str) -> dict[str, str]:
    """The prose ``model`` has, by dotted path (``retention.criteria``), in the order of the kind's fields."""
    return {p: v for p in _PARTS[kind].texts if isinstance(v := _get(model, p), str)}


def fingerprint_fact(model: BaseModel, kind: str) -> str:
    """Twelve hex digits of sha256 over a fact's prose (its data is not translated, so it is not covered)."""
    return digest(fact_texts(model, kind))


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """An entry's nested texts by dotted path: ``{retention: {criteria: X}}`` → ``{"retention.criteria": X}``."""
    if not isinstance(data, Mapping):
        return {prefix: data}
    out: dict[str, Any] = {}
    for name, value in data.items():
        out |= flatten(value, f"{prefix}.{name}" if prefix else str(name))
    return out


def unflatten(texts: Mapping[str, str]) -> dict[str, Any]:
    """The nested form of dotted paths, as a translation file writes it."""
    out: dict[str, Any] = {}
    for path, value in texts.items():
        *heads, last = path.split(".")
        node = out
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = value
    return out


def fact_shape_problems(texts: Mapping[str, Any], model: BaseModel, kind: str) -> list[tuple[tuple[str, ...], str]]:
    """What keeps an entry's ``texts`` (nested, as written) from translating ``model``: (location, message) pairs."""
    original, given, part = fact_texts(model, kind), flatten(texts), _PARTS[kind]
    out: list[tuple[tuple[str, ...], str]] = []
    for path in original:
        if path not in given and path not in part.names:
            out.append(((), f"`{path}` is missing: the original has it, so its translation must too"))
    for path, value in given.items():
        where = tuple(path.split("."))
        if path not in part.texts:
            out.append((where, f"`{path}` may not be translated: it is data and comes from the original"))
        elif path not in original:
            out.append((where, f"the original has no `{path}`, so there is nothing to translate"))
        elif not is_text(value):
            out.append((where, "expected the translated text"))
    return out


def apply_fact(model: M, texts: Mapping[str, Any]) -> M:
    """``model`` with the translated prose of an entry that fits it (:func:`fact_shape_problems` found nothing)."""
    update: dict[str, Any] = {}
    for name, value in texts.items():
        if isinstance(value, Mapping):
            update[name] = apply_fact(getattr(model, name), value)
        else:
            update[name] = value.strip()
    return model.model_copy(update=update)


def fact_title(policy: Policy, kind: str, key: str) -> str:
    """How a fact is named to a translator: ``processing activity Run your account (accounts)``."""
    model = find_fact(policy, kind, key)
    if kind == "controller":
        return "the controller's facts (address, DPO, representatives, supervisory authority)"
    name = _get(model, "title" if kind == "activity" else "name") if model is not None else None
    what = "processing activity" if kind == "activity" else "recipient"
    return f"{what} {name or key} ({key})"


def fact_body(model: BaseModel, kind: str) -> Section:
    """A fact's prose laid out as a section body (one item per text), for the word diff of what changed."""
    return Section(id="fact", title="fact", items=tuple(f"{p}: {v}" for p, v in fact_texts(model, kind).items()))


class _Checks(Protocol):
    """What :func:`read_facts` reports through: the translation file reader's checks (``read.py``)."""

    def error(self, loc: Loc, message: str) -> None: ...
    def changed(self, loc: Loc, message: str) -> None: ...
    def outdated(self, entry: Any, loc: Loc, message: str) -> None: ...
    def mark(self, data: dict[str, Any], loc: Loc) -> str | None: ...


def read_facts(
    data: Mapping[str, Any], policy: Policy, checks: _Checks
) -> list[tuple[str, str, dict[str, Any], str | None, Loc]]:
    """A translation file's facts, checked against ``policy``: (fact_key, id, nested texts, mark, location)."""
    out: list[tuple[str, str, dict[str, Any], str | None, Loc]] = []
    parts = fact_parts(policy)
    for kind, group in FACT_GROUPS.items():
        raw = data.get(group, {})
        entries = ({"": raw} if group in data else {}) if kind == "controller" else raw
        if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
            checks.error((group,), f"expected the translated texts of the `{group}`, by id as in the original")
            continue
        originals = {key: model for k, key, model in parts if k == kind}
        if kind == "controller":  # its data is checked as such even when it has no prose
            originals = {"": policy.controller}
        for key, entry in entries.items():
            loc: Loc = (group, key) if key else (group,)
            model = originals.get(key)
            if model is None:
                close = difflib.get_close_matches(str(key), list(originals), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                checks.outdated(entry, loc, f"no {kind} {key!r} in the original{hint}")
                continue
            mark = checks.mark(entry, loc)
            texts = {k: v for k, v in entry.items() if k != "translated_from"}
            report = checks.error if mark in (None, fingerprint_fact(model, kind)) else checks.changed
            for where, message in fact_shape_problems(texts, model, kind):
                report((*loc, *where), message)
            out.append((fact_key(kind, key), key, texts, mark, loc))
    return out

"""Applying a translation to a policy: the same structure, the translated texts, and each part's state.

The result is a :class:`~policyforge.source.model.Policy` whose ids, order, cookies, dates and Consent Mode
types are the original's and whose texts are the translation's wherever an entry fits. Each part (every
section, every consent category, the document's own texts) gets a :class:`PartState`: ``current`` when the
entry was translated from exactly this text of the original, ``stale`` when it was translated from another
text (the translation is shown, with a notice that the original prevails), ``missing`` when there is no
entry, it is not marked (``translated_from``) yet, or it does not fit this version's structure (the original
is shown). Applying never raises, so a
translation checked against the draft can be applied to any older release. With ``stale_translations: error``
each stale part is a problem at its entry's line (:func:`stale_problems`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..source.model import Consent, ConsentCategory, Policy, Section, Table, TermItem
from .fact_texts import apply_fact, fact_key, fact_shape_problems, fact_texts, fingerprint_fact
from .read import (
    DOCUMENT_FIELDS,
    Entry,
    Translation,
    fingerprint_category,
    fingerprint_document,
    fingerprint_section,
    section_shape_problems,
)
from .shape import service_shape_problems

__all__ = [
    "DOCUMENT_KEY",
    "Behind",
    "Kind",
    "PartState",
    "Translated",
    "category_key",
    "stale_problems",
    "translate_policy",
]

DOCUMENT_KEY = "document"
Status = Literal["current", "stale", "missing"]
M = TypeVar("M", bound=BaseModel)
Kind = Literal["section", "category", "document", "activity", "recipient", "controller"]
# Whether a fingerprint is of an earlier text of a part (kind, key, fingerprint): the translation is behind.
Behind = Callable[[Kind, str, str], bool]


def category_key(category_id: str) -> str:
    """The key of a consent category in :attr:`Translated.states`."""
    return f"category:{category_id}"


@dataclass(frozen=True)
class PartState:
    """How one part of a translated page relates to the original it is shown for."""

    status: Status
    kind: Kind
    key: str  # section id, category id or ""
    fingerprint: str  # of the original's part on this page
    translated_from: str | None = None  # the entry's fingerprint; None when unmarked or missing
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Translated:
    """A policy in one language: the translated model and the state of each part (see the module doc)."""

    lang: str
    policy: Policy
    states: Mapping[str, PartState] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # fideslang key -> its name in ``lang``

    def stale(self) -> list[PartState]:
        """The parts shown translated from another text of the original, in page order."""
        return [s for s in self.states.values() if s.status == "stale"]

    def missing(self) -> list[PartState]:
        """The parts shown in the original language, in page order."""
        return [s for s in self.states.values() if s.status == "missing"]


class _Applier:
    def __init__(self, candidates: Sequence[Translation], behind: Behind | None) -> None:
        self.candidates = candidates
        self.behind = behind
        self.states: dict[str, PartState] = {}

    def choose(
        self, name: str, kind: Kind, key: str, fingerprint: str, fit: Callable[[Entry], dict[str, Any] | None]
    ) -> dict[str, Any]:
        """The update of the best candidate's entry for one part, and its state.

        An entry translated from exactly this text wins (current); else the first entry translated from an
        earlier text of it (stale; with no ``behind`` every other entry counts); an entry translated from a
        text this version never had (a later one, ahead of it) is never shown for it, and neither is an
        entry not marked yet (no ``translated_from``: a skeleton's English, or work in progress)."""
        fitting: list[tuple[Translation, Entry, dict[str, Any]]] = []
        for candidate in self.candidates:
            entry = _entry(candidate, kind, key)
            update = fit(entry) if entry is not None else None
            if entry is not None and update is not None and entry.translated_from is not None:
                fitting.append((candidate, entry, update))  # an unmarked entry is not done: never shown
        current: Status = "current"
        stale: Status = "stale"
        chosen = next(((t, e, u, current) for t, e, u in fitting if e.translated_from == fingerprint), None)
        if chosen is None:
            chosen = next(
                (
                    (t, e, u, stale)
                    for t, e, u in fitting
                    if self.behind is None or self.behind(kind, key, e.translated_from or "")
                ),
                None,
            )
        if chosen is None:
            first = next((e for t in self.candidates if (e := _entry(t, kind, key)) is not None), None)
            file = self.candidates[0].file if self.candidates else ""
            self.states[name] = PartState(
                "missing",
                kind,
                key,
                fingerprint,
                first.translated_from if first else None,
                file,
                first.line if first else 0,
            )
            return {}
        translation, entry, update, status = chosen
        self.states[name] = PartState(
            status, kind, key, fingerprint, entry.translated_from, translation.file, entry.line
        )
        return update

    def section(self, section: Section) -> Section:
        def fit(entry: Entry) -> dict[str, Any] | None:
            return None if section_shape_problems(entry.texts, section) else _section_update(entry.texts, section)

        update = self.choose(section.id, "section", section.id, fingerprint_section(section), fit)
        subsections = tuple(self.section(s) for s in section.sections)  # after the parent: page order
        return section.model_copy(update={**update, "sections": subsections})

    def category(self, category: ConsentCategory) -> ConsentCategory:
        def fit(entry: Entry) -> dict[str, Any] | None:
            purposes = entry.texts.get("cookies") or {}
            if not all(c.name in purposes for c in category.cookies):
                return None
            if service_shape_problems(entry.texts.get("services"), category):
                return None
            services = entry.texts.get("services") or {}
            return {
                "title": _clean(entry.texts["title"]),
                "description": _clean(entry.texts["description"]),
                "cookies": tuple(c.model_copy(update={"purpose": _clean(purposes[c.name])}) for c in category.cookies),
                "services": tuple(
                    s.model_copy(update={k: _clean(v) for k, v in services[s.id].items()}) for s in category.services
                ),
            }

        update = self.choose(category_key(category.id), "category", category.id, fingerprint_category(category), fit)
        return category.model_copy(update=update)

    def fact(self, kind: Kind, key: str, model: M) -> M:
        """An activity, a recipient or the controller with its prose translated (``fact_texts.py``)."""

        def fit(entry: Entry) -> dict[str, Any] | None:
            return None if fact_shape_problems(entry.texts, model, kind) else {"texts": entry.texts}

        update = self.choose(fact_key(kind, key), kind, key, fingerprint_fact(model, kind), fit)
        return apply_fact(model, update["texts"]) if update else model

    def document(self, policy: Policy) -> dict[str, Any]:
        def fit(entry: Entry) -> dict[str, Any] | None:
            update: dict[str, Any] = {}
            for name in DOCUMENT_FIELDS:
                value, original = entry.texts.get(name), getattr(policy, name)
                if value is None or not original:
                    continue
                if name == "quick_reference":
                    if isinstance(value, list) and len(value) == len(original):
                        update[name] = tuple(_clean(v) for v in value)
                else:
                    update[name] = _clean(value)
            return update if all((name in update) == (name in entry.texts) for name in DOCUMENT_FIELDS) else None

        return self.choose(DOCUMENT_KEY, "document", "", fingerprint_document(policy), fit)


def _entry(translation: Translation, kind: Kind, key: str) -> Entry | None:
    if kind == "document":
        return translation.document
    if kind not in ("section", "category"):
        return translation.facts.get(fact_key(kind, key))
    return (translation.sections if kind == "section" else translation.categories).get(key)


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _section_update(texts: Mapping[str, Any], section: Section) -> dict[str, Any] | None:
    update: dict[str, Any] = {name: _clean(texts[name]) for name in ("title", "text", "after") if name in texts}
    if "items" in texts:
        update["items"] = tuple(
            TermItem(term=_clean(t["term"]), text=_clean(t["text"])) if isinstance(o, TermItem) else _clean(t)
            for t, o in zip(texts["items"], section.items, strict=True)
        )
    if "table" in texts:
        raw = texts["table"]
        try:
            update["table"] = Table.model_validate(
                {
                    **({"caption": raw["caption"]} if "caption" in raw else {}),
                    "columns": raw["columns"],
                    "rows": raw["rows"],
                }
            )
        except ValidationError:
            return None
    return update


def translate_policy(
    policy: Policy,
    translation: Translation | None,
    *,
    fallbacks: Sequence[Translation] = (),
    behind: Behind | None = None,
) -> Translated:
    """``policy`` in ``translation``'s language (the original itself, every part ``missing``, when None).

    ``fallbacks`` are further translations into the same language to take a part from when ``translation``
    has no entry made from this text of it (the translations frozen with this release and earlier ones);
    ``behind`` tells whether an entry's fingerprint is of an earlier text of the part (history knows):
    when given, an entry made from a text this version never had, such as the draft's, is not shown."""
    candidates = [t for t in (translation, *fallbacks) if t is not None]
    applier = _Applier(candidates, behind)
    document = applier.document(policy)
    sections = tuple(applier.section(s) for s in policy.sections)
    consent: Consent | None = policy.consent
    if consent is not None:
        consent = consent.model_copy(update={"categories": tuple(applier.category(c) for c in consent.categories)})
    facts: dict[str, Any] = {
        "processing": tuple(applier.fact("activity", a.id, a) for a in policy.processing),
        "recipients": tuple(applier.fact("recipient", r.id, r) for r in policy.recipients),
    }
    if fact_texts(policy.controller, "controller"):
        facts["controller"] = applier.fact("controller", "", policy.controller)
    translated = policy.model_copy(update={**document, "sections": sections, "consent": consent, **facts})
    labels = {key: name for candidate in reversed(candidates) for key, name in candidate.labels.items()}
    return Translated(candidates[0].lang if candidates else "", translated, applier.states, labels)


def stale_problems(translations: Mapping[str, Translated]) -> list[Problem]:
    """``stale_translations: error``: one problem per stale part, at its entry's line in the translation file."""
    problems: list[Problem] = []
    for lang, translated in translations.items():
        for state in translated.stale():
            what = {
                "section": f"section #{state.key}",
                "category": f"consent category {state.key!r}",
                "document": "the document's own texts (title, preamble, quick reference, closing)",
                "activity": f"processing activity {state.key!r}",
                "recipient": f"recipient {state.key!r}",
                "controller": "the controller's facts",
            }[state.kind]
            problems.append(
                Problem(
                    state.file,
                    state.line,
                    "",
                    f"the {lang} translation of {what} is stale: it was translated from another text of the original "
                    f"(translated_from {state.translated_from or 'not set'}, the original is now {state.fingerprint}); "
                    f"update the translation and run `policyforge translate mark {lang}`, or set "
                    "`stale_translations: notice` to publish it with a notice",
                )
            )
    return problems

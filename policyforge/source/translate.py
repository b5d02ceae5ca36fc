"""Applying a translation to a policy: the same structure, the translated texts, and each part's state.

The result is a :class:`~policyforge.source.model.Policy` whose ids, order, cookies, dates and Consent Mode
types are the original's and whose texts are the translation's wherever an entry fits. Each part (every
section, every consent category, the document's own texts) gets a :class:`PartState`: ``current`` when the
entry was translated from exactly this text of the original, ``stale`` when it was translated from another
text (the translation is shown, with a notice that the original prevails), ``missing`` when there is no
entry or it does not fit this version's structure (the original is shown). Applying never raises, so a
translation checked against the draft can be applied to any older release.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from .model import Consent, ConsentCategory, Policy, Section, Table, TermItem
from .translations import (
    DOCUMENT_FIELDS,
    Entry,
    Translation,
    fingerprint_category,
    fingerprint_document,
    fingerprint_section,
    section_shape_problems,
)

__all__ = ["DOCUMENT_KEY", "PartState", "Translated", "category_key", "translate_policy"]

DOCUMENT_KEY = "document"
Status = Literal["current", "stale", "missing"]


def category_key(category_id: str) -> str:
    """The key of a consent category in :attr:`Translated.states`."""
    return f"category:{category_id}"


@dataclass(frozen=True)
class PartState:
    """How one part of a translated page relates to the original it is shown for."""

    status: Status
    kind: Literal["section", "category", "document"]
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

    def stale(self) -> list[PartState]:
        """The parts shown translated from another text of the original, in page order."""
        return [s for s in self.states.values() if s.status == "stale"]

    def missing(self) -> list[PartState]:
        """The parts shown in the original language, in page order."""
        return [s for s in self.states.values() if s.status == "missing"]


class _Applier:
    def __init__(self, translation: Translation | None) -> None:
        self.translation = translation
        self.states: dict[str, PartState] = {}

    def state(self, name: str, kind: Literal["section", "category", "document"], key: str, fingerprint: str,
              entry: Entry | None, fits: bool) -> None:
        if entry is None or not fits:
            status: Status = "missing"
        else:
            status = "current" if entry.translated_from == fingerprint else "stale"
        file = self.translation.file if self.translation else ""
        self.states[name] = PartState(status, kind, key, fingerprint, entry.translated_from if entry else None,
                                      file, entry.line if entry else 0)

    def section(self, section: Section) -> Section:
        entry = self.translation.sections.get(section.id) if self.translation else None
        update: dict[str, Any] | None = None
        if entry is not None and not section_shape_problems(entry.texts, section):
            update = _section_update(entry.texts, section)
        self.state(section.id, "section", section.id, fingerprint_section(section), entry, update is not None)
        subsections = tuple(self.section(s) for s in section.sections)  # after the parent: page order
        return section.model_copy(update={**(update or {}), "sections": subsections})

    def category(self, category: ConsentCategory) -> ConsentCategory:
        entry = self.translation.categories.get(category.id) if self.translation else None
        update: dict[str, Any] | None = None
        if entry is not None:
            purposes = entry.texts.get("cookies") or {}
            if all(c.name in purposes for c in category.cookies):
                update = {"title": _clean(entry.texts["title"]), "description": _clean(entry.texts["description"]),
                          "cookies": tuple(c.model_copy(update={"purpose": _clean(purposes[c.name])})
                                           for c in category.cookies)}
        self.state(category_key(category.id), "category", category.id, fingerprint_category(category), entry,
                   update is not None)
        return category.model_copy(update=update or {})

    def document(self, policy: Policy) -> dict[str, Any]:
        entry = self.translation.document if self.translation else None
        update: dict[str, Any] = {}
        if entry is not None:
            for name in DOCUMENT_FIELDS:
                value, original = entry.texts.get(name), getattr(policy, name)
                if value is None or not original:
                    continue
                if name == "quick_reference":
                    if isinstance(value, list) and len(value) == len(original):
                        update[name] = tuple(_clean(v) for v in value)
                else:
                    update[name] = _clean(value)
        fits = entry is not None and all(
            (name in update) == (name in entry.texts) for name in DOCUMENT_FIELDS)
        self.state(DOCUMENT_KEY, "document", "", fingerprint_document(policy), entry, fits)
        return update


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _section_update(texts: Mapping[str, Any], section: Section) -> dict[str, Any] | None:
    update: dict[str, Any] = {name: _clean(texts[name]) for name in ("title", "text", "after") if name in texts}
    if "items" in texts:
        update["items"] = tuple(TermItem(term=_clean(t["term"]), text=_clean(t["text"])) if isinstance(o, TermItem)
                                else _clean(t) for t, o in zip(texts["items"], section.items, strict=True))
    if "table" in texts:
        raw = texts["table"]
        try:
            update["table"] = Table.model_validate({**({"caption": raw["caption"]} if "caption" in raw else {}),
                                                    "columns": raw["columns"], "rows": raw["rows"]})
        except ValidationError:
            return None
    return update


def translate_policy(policy: Policy, translation: Translation | None) -> Translated:
    """``policy`` in ``translation``'s language (the original itself, every part ``missing``, when None)."""
    applier = _Applier(translation)
    document = applier.document(policy)
    sections = tuple(applier.section(s) for s in policy.sections)
    consent: Consent | None = policy.consent
    if consent is not None:
        consent = consent.model_copy(update={"categories": tuple(applier.category(c) for c in consent.categories)})
    translated = policy.model_copy(update={**document, "sections": sections, "consent": consent})
    return Translated(translation.lang if translation else "", translated, applier.states)

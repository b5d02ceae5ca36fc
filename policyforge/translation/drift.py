"""Translation drift over the history: when the original of a translated part changed, and how.

Each translated part (a section, a consent category, the document's own texts) records
``translated_from``, the fingerprint of the original text it was translated from
(:mod:`policyforge.translation.read`). Looking that fingerprint up among the releases and the
draft tells which text the translator saw; the releases after it tell the day the original moved
on (:func:`changed_on`), and the word diff from that text to today's (:mod:`policyforge.history.body_diff`) tells the
translator what to change (:func:`translation_status`, for ``policyforge translate status``).
:func:`made_stale` tells which parts a new release made stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..history.body_diff import LinkChange, WordOp, body_diff
from ..history.diff import PolicyDiff, diff_policies
from ..history.releases import History
from ..source.model import ConsentCategory, Policy, Section
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions
from ..source.reader_text import plain_inline, section_blocks
from .apply import DOCUMENT_KEY, Kind, PartState, Translated, translate_policy
from .fact_texts import FACT_GROUPS, fact_body, fact_title, find_fact, fingerprint_fact
from .read import (
    Translation,
    fingerprint_category,
    fingerprint_document,
    fingerprint_section,
    read_translation,
    translation_path,
)
from .snapshots import frozen_translation

__all__ = [
    "Drift",
    "Kind",
    "LanguageStatus",
    "PartDiff",
    "Timeline",
    "changed_on",
    "made_stale",
    "part_diff",
    "part_title",
    "status_to_json",
    "translate_shown",
    "translate_version",
    "translation_status",
]


@dataclass(frozen=True)
class _Version:
    label: str  # a release's date, or "draft"
    effective: dt.date | None  # None for the draft: it has not taken effect
    policy: Policy


class Timeline:
    """The releases (oldest first) and the draft, with each part's fingerprint computed once."""

    def __init__(self, history: History, draft: Policy | None) -> None:
        self.history = history
        self.draft = draft
        self._prints: dict[tuple[int, Kind, str], str | None] = {}
        self._diffs: dict[tuple[int, int], PolicyDiff] = {}

    def versions(self, upto: Policy | None = None) -> list[_Version]:
        """Releases (and the draft) at or before ``upto`` (default: every one), oldest first."""
        out: list[_Version] = []
        for rel in self.history:
            out.append(_Version(rel.date, rel.effective, rel.policy))
            if upto is not None and rel.policy is upto:
                return out
        if upto is not None and upto is not self.draft:  # a policy of neither: by its effective date
            day = upto.effective
            return [v for v in out if day is None or (v.effective is not None and v.effective <= day)]
        if self.draft is not None:
            out.append(_Version("draft", None, self.draft))
        return out

    def fingerprint(self, policy: Policy, kind: Kind, key: str) -> str | None:
        """The fingerprint of a part of ``policy``; None when it has no such part."""
        memo = (id(policy), kind, key)
        if memo not in self._prints:
            self._prints[memo] = _fingerprint(policy, kind, key)
        return self._prints[memo]

    def diff(self, old: Policy, new: Policy) -> PolicyDiff:
        """The diff of two versions, computed once however many of their parts are stale."""
        memo = (id(old), id(new))
        if memo not in self._diffs:
            self._diffs[memo] = diff_policies(old, new)
        return self._diffs[memo]

    def source(self, kind: Kind, key: str, translated_from: str | None) -> _Version | None:
        """The newest version (the draft first) whose part has the fingerprint ``translated_from``."""
        if translated_from is None:
            return None
        for version in reversed(self.versions()):
            if self.fingerprint(version.policy, kind, key) == translated_from:
                return version
        return None

    def changed_on(self, kind: Kind, key: str, translated_from: str | None, upto: Policy) -> dt.date | None:
        """See :func:`changed_on`."""
        versions = self.versions(upto)
        prints = [self.fingerprint(v.policy, kind, key) for v in versions]
        matched = [i for i, p in enumerate(prints) if translated_from is not None and p == translated_from]
        if not matched:
            return None
        for version, print_ in zip(versions[matched[-1] + 1 :], prints[matched[-1] + 1 :], strict=True):
            if print_ != translated_from:
                return version.effective
        return None


def _find_section(policy: Policy, key: str) -> Section | None:
    return next((ns.section for ns in numbered_sections(policy.sections) if ns.section.id == key), None)


def _find_category(policy: Policy, key: str) -> ConsentCategory | None:
    return next((c for c in policy.categories if c.id == key), None)


def _fingerprint(policy: Policy, kind: Kind, key: str) -> str | None:
    if kind == "document":
        return fingerprint_document(policy)
    if kind in FACT_GROUPS:
        fact = find_fact(policy, kind, key)
        return fingerprint_fact(fact, kind) if fact is not None else None
    if kind == "category":
        category = _find_category(policy, key)
        return fingerprint_category(category) if category is not None else None
    section = _find_section(policy, key)
    return fingerprint_section(section) if section is not None else None


def changed_on(
    history: History, draft: Policy | None, kind: Kind, key: str, translated_from: str | None, upto: Policy
) -> dt.date | None:
    """The day the original part changed after the text the translation was made from.

    That is the effective date of the first release, at or before ``upto`` (a release's policy or the
    draft), whose fingerprint of the part differs, after the last one whose fingerprint was
    ``translated_from``. None when unknown: the fingerprint matches no release at or before ``upto``,
    nothing changed since, or the change is in the draft only (not released, so it has no date yet).
    """
    return Timeline(history, draft).changed_on(kind, key, translated_from, upto)


def translate_version(timeline: Timeline, policy: Policy, live: Translation | None, lang: str) -> Translated:
    """``policy`` (a release's) in ``lang`` as its page and its banner show it.

    Each part comes from the live translation when that was made from this very text of it, else from the
    translation frozen with this release or an earlier one (newest first) that was; failing both, a
    translation made from an earlier text of the part is shown as stale. A translation made from a text this
    version never had (the draft's, ahead of the release in effect) is never shown for it: the part is then
    missing and the original is shown, so a page never states what its original does not yet say.
    """
    versions = timeline.versions(policy)
    upto = {id(v.policy) for v in versions}
    frozen = [
        t
        for rel in reversed(list(timeline.history))
        if id(rel.policy) in upto and (t := frozen_translation(rel, lang)) is not None
    ]

    def behind(kind: Kind, key: str, fingerprint: str) -> bool:
        return any(timeline.fingerprint(v.policy, kind, key) == fingerprint for v in versions)

    return translate_policy(policy, live, fallbacks=frozen, behind=behind)


def translate_shown(
    history: History | None, policy: Policy, translations: Mapping[str, Translation]
) -> dict[str, Translated]:
    """``policy``, the version a site shows (a release of ``history``), in each language of ``translations``
    as its pages show it (:func:`translate_version`); before any release (the draft is shown, ``history``
    None or empty) each translation applies as it is."""
    if history is None or not history.releases:
        return {lang: translate_policy(policy, tr) for lang, tr in translations.items()}
    timeline = Timeline(history, None)
    return {lang: translate_version(timeline, policy, tr, lang) for lang, tr in translations.items()}


def part_title(policy: Policy, state: PartState) -> str:
    """How a part is named to a translator: ``2.1 Account (#account)``, ``consent category Analytics``..."""
    if state.kind == "document":
        return "the document's own texts (title, preamble, quick reference, closing)"
    if state.kind in FACT_GROUPS:
        return fact_title(policy, state.kind, state.key)
    if state.kind == "category":
        category = _find_category(policy, state.key)
        return f"consent category {category.title if category else state.key} ({state.key})"
    for ns in numbered_sections(policy.sections):
        if ns.section.id == state.key:
            return f"{ns.label} {plain_inline(ns.section.title)} (#{state.key})"
    return f"#{state.key}"


@dataclass(frozen=True)
class PartDiff:
    """The original's change since the translation, for one body: words, link targets and a renamed title."""

    name: str  # "" for the part's own body; "@preamble", "@quick-reference", "@closing" for the document's
    ops: tuple[WordOp, ...] = ()
    links: tuple[LinkChange, ...] = ()
    fields: tuple[tuple[str, str, str], ...] = ()  # (field, before, after): ("title", "Usage", "Usage data")

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.links or any(op.kind != "equal" for op in self.ops))


@dataclass(frozen=True)
class Drift:
    """A stale or missing part of one translation, and what changed in the original since it was translated."""

    lang: str
    state: PartState
    title: str
    since: str | None = None  # the version the translation was made from: a release's date or "draft"
    changed_on: dt.date | None = None
    changes: tuple[PartDiff, ...] = ()

    @property
    def where(self) -> str:
        """``translations/de.yaml:14`` (the entry), or the file alone for a part it does not have."""
        return f"{self.state.file}:{self.state.line}" if self.state.line else self.state.file


@dataclass(frozen=True)
class LanguageStatus:
    """One language's translation of the draft: its file, its problems and every part not current."""

    lang: str
    file: str
    exists: bool
    errors: tuple[Problem, ...] = ()
    parts: tuple[Drift, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # current, stale, missing

    def of(self, status: str) -> list[Drift]:
        return [d for d in self.parts if d.state.status == status]


def _section_diff(d: PolicyDiff, key: str) -> tuple[PartDiff, ...]:
    change = next((c for c in d.sections if c.id == key), None)
    if change is None or change.old is None or change.new is None:
        return ()
    fields = (("title", change.old.title, change.new.title),) if change.old.title != change.new.title else ()
    return (PartDiff("", change.ops, change.links, fields),)


def _category_body(category: ConsentCategory) -> Section:
    """A consent category's texts laid out as a section body: its description, then each cookie's purpose and
    each service's name and description."""
    return Section(
        id=category.id,
        title=category.title,
        text=category.description,
        items=(
            *(f"{c.name}: {c.purpose}" for c in category.cookies),
            *(f"{s.name}: {s.description or ''}" for s in category.services),
        ),
    )


def _category_diff(old: Policy, new: Policy, key: str) -> tuple[PartDiff, ...]:
    was, now = _find_category(old, key), _find_category(new, key)
    if was is None or now is None:
        return ()
    ops, links = body_diff(
        tuple(section_blocks(_category_body(was), "o")), tuple(section_blocks(_category_body(now), "n"))
    )
    fields = (("title", was.title, now.title),) if was.title != now.title else ()
    return (PartDiff("", ops, links, fields),)


def _document_diff(old: Policy, new: Policy, d: PolicyDiff) -> tuple[PartDiff, ...]:
    fields = tuple(
        (name, a, b)
        for name, a, b in (("title", old.title, new.title), ("product", old.product, new.product))
        if a != b
    )
    out = [PartDiff("", fields=fields)] if fields else []
    out += [PartDiff(c.id, c.ops, c.links) for c in d.sections if c.id.startswith("@")]
    return tuple(out)


def part_diff(old: Policy, new: Policy, state: PartState, d: PolicyDiff | None = None) -> tuple[PartDiff, ...]:
    """What changed in the part of ``state`` from ``old`` (the text translated) to ``new``; ``d`` is their
    diff when the caller has it."""
    if state.kind == "category":
        return _category_diff(old, new, state.key)
    if state.kind in FACT_GROUPS:
        was, now = find_fact(old, state.kind, state.key), find_fact(new, state.kind, state.key)
        if was is None or now is None:
            return ()
        before, after = fact_body(was, state.kind), fact_body(now, state.kind)
        return (PartDiff("", *body_diff(tuple(section_blocks(before, "o")), tuple(section_blocks(after, "n")))),)
    d = d if d is not None else diff_policies(old, new)
    if state.kind == "document":
        return _document_diff(old, new, d)
    return _section_diff(d, state.key)


def _drift(timeline: Timeline, draft: Policy, lang: str, state: PartState) -> Drift:
    title = part_title(draft, state)
    if state.status != "stale":
        return Drift(lang, state, title)
    source = timeline.source(state.kind, state.key, state.translated_from)
    if source is None:
        return Drift(lang, state, title)
    when = timeline.changed_on(state.kind, state.key, state.translated_from, draft)
    changes = part_diff(source.policy, draft, state, timeline.diff(source.policy, draft))
    return Drift(lang, state, title, source.label, when, changes)


def translation_status(
    options: ProjectOptions, history: History, draft: Policy, langs: Sequence[str] | None = None
) -> list[LanguageStatus]:
    """Each language's stale and missing parts against the draft, with the original's diff since translation.

    ``langs`` defaults to every configured translation. A file with errors is still applied part by
    part (its errors are returned with it); a language without a file has every part missing.
    """
    timeline = Timeline(history, draft)
    out: list[LanguageStatus] = []
    for lang in langs if langs is not None else options.translations:
        path = translation_path(options.source, lang)
        shown = options.display(path)
        translation: Translation | None = None
        errors: list[Problem] = []
        if path.is_file():
            translation, errors, _ = read_translation(
                path, draft, lang=lang, display=shown, allow_html=options.allow_html
            )
        states = translate_policy(draft, translation).states
        counts = {s: sum(1 for st in states.values() if st.status == s) for s in ("current", "stale", "missing")}
        parts = tuple(
            _drift(timeline, draft, lang, st if st.file else _with_file(st, shown))
            for st in states.values()
            if st.status != "current"
        )
        out.append(LanguageStatus(lang, shown, path.is_file(), tuple(errors), parts, counts))
    return out


def _with_file(state: PartState, file: str) -> PartState:
    return PartState(state.status, state.kind, state.key, state.fingerprint, state.translated_from, file, state.line)


def made_stale(
    before: Policy | None, after: Policy, translations: Mapping[str, Translation]
) -> list[tuple[str, str, Drift]]:
    """What a release from ``before`` to ``after`` did to each translation: ``(lang, what, drift)`` with
    ``what`` ``stale`` (was current, is stale now) or ``new`` (a part the translation does not have yet).
    Nothing for a first release (``before`` None): it made nothing stale."""
    out: list[tuple[str, str, Drift]] = []
    if before is None:
        return out
    for lang, translation in translations.items():
        was = translate_policy(before, translation).states
        now = translate_policy(after, translation).states
        for key, state in now.items():
            old = was.get(key)
            if state.status == "stale" and (old is None or old.status == "current"):
                out.append((lang, "stale", Drift(lang, state, part_title(after, state))))
            elif state.status == "missing" and old is None and key != DOCUMENT_KEY:
                out.append((lang, "new", Drift(lang, state, part_title(after, state))))
    return out


def status_to_json(status: LanguageStatus) -> dict[str, Any]:
    """One language's status as plain JSON data (``translate status --format json``)."""

    def part(d: Drift) -> dict[str, Any]:
        st = d.state
        return {
            "status": st.status,
            "kind": st.kind,
            "key": st.key,
            "title": d.title,
            "file": st.file,
            "line": st.line or None,
            "fingerprint": st.fingerprint,
            "translated_from": st.translated_from,
            "since": d.since,
            "changed_on": d.changed_on.isoformat() if d.changed_on else None,
            "changes": [
                {
                    "name": c.name,
                    "fields": [{"field": f, "old": a, "new": b} for f, a, b in c.fields],
                    "links": [vars(link) for link in c.links],
                    "ops": [[op.kind, op.text] for op in c.ops],
                }
                for c in d.changes
            ],
        }

    return {
        "lang": status.lang,
        "file": status.file,
        "exists": status.exists,
        "counts": dict(status.counts),
        "errors": [str(e) for e in status.errors],
        "parts": [part(d) for d in status.parts],
    }

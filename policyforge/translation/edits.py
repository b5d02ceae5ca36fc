"""Writing translation files: ``translated_from`` marks set in place, and a skeleton to start from.

:func:`mark_text` edits the YAML text itself, never a re-dump of its data: each entry's
``translated_from:`` value is replaced where it is, or a ``translated_from:`` line is inserted as
the entry's first key (inside ``{...}`` for an entry written in flow style). Comments, quoting,
folding and blank lines are kept, and no other line changes. Positions come from PyYAML's node
tree (:func:`yaml.compose`), so the edit does not guess from indentation.
:func:`skeleton_text` is what ``policyforge translate init`` writes: every id of the original with
the original's texts as a starting point, no ``translated_from`` (nothing is translated yet).
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ..errors import PolicyError, Problem, SourceError
from ..source.model import Policy, Section, Service, TermItem
from ..source.numbering import numbered_sections
from ..source.taxonomy import taxonomy_name
from ..source.yaml_reader import Core12Loader
from .apply import DOCUMENT_KEY, PartState, category_key, translate_policy
from .drift import part_title
from .fact_texts import FACT_GROUPS, fact_key, fact_parts, fact_texts, unflatten
from .read import DOCUMENT_FIELDS, Translation

__all__ = [
    "MARK",
    "Mark",
    "MarkError",
    "MarkResult",
    "Marked",
    "entry_of",
    "mark_text",
    "mark_translation",
    "skeleton_text",
]

MARK = "translated_from"


@dataclass(frozen=True)
class Mark:
    """Set ``translated_from`` of one entry: ``where`` is ``()`` (the document), ``("sections", id)`` or
    ``("categories", id)``."""

    where: tuple[str, ...]
    fingerprint: str


class MarkError(PolicyError):
    """A translation file could not be written as asked; the message says why, and the file is unchanged."""

    hint = "Run `policyforge check`: it lists the translation file's problems with their lines."


def _child(node: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k, v
    return None


class _Edits:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, str]] = []

    def offset(self, mark: yaml.Mark) -> int:
        return self.starts[mark.line] + mark.column

    def line_start(self, line: int) -> int:
        return self.starts[min(line, len(self.starts) - 1)]

    def set_value(self, value: Node, fingerprint: str) -> None:
        start, end = self.offset(value.start_mark), self.offset(value.end_mark)
        self.edits.append((start, end, fingerprint))

    def add_first(self, node: MappingNode, fingerprint: str) -> None:
        """Insert ``translated_from: FP`` as the first key of ``node`` (block or flow style)."""
        if node.flow_style:
            at = self.offset(node.start_mark) + 1  # just after "{"
            tail = ", " if node.value else ""
            self.edits.append((at, at, f"{MARK}: {fingerprint}{tail}"))
            return
        first = node.value[0][0].start_mark
        at = self.line_start(first.line)
        self.edits.append((at, at, " " * first.column + f"{MARK}: {fingerprint}{self.newline}"))

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _set(edits: _Edits, node: MappingNode, fingerprint: str) -> None:
    found = _child(node, MARK)
    if found is not None:
        edits.set_value(found[1], fingerprint)
    else:
        edits.add_first(node, fingerprint)


def _set_document(edits: _Edits, root: MappingNode, fingerprint: str) -> None:
    found = _child(root, MARK)
    if found is not None:
        edits.set_value(found[1], fingerprint)
        return
    language = _child(root, "language")
    if language is None or root.flow_style:
        edits.add_first(root, fingerprint)
        return
    end = language[1].end_mark
    at = edits.line_start(end.line + (1 if end.column else 0))
    if at == len(edits.text) and not edits.text.endswith(("\n", "\r")):
        edits.edits.append((at, at, edits.newline + f"{MARK}: {fingerprint}"))
    else:
        edits.edits.append((at, at, f"{MARK}: {fingerprint}{edits.newline}"))


def mark_text(text: str, marks: list[Mark]) -> str:
    """``text`` with each mark's ``translated_from`` set in place; :class:`MarkError` when an entry is not a
    mapping where the file keeps it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        raise MarkError("a translation file is a mapping (language, sections, ...)")
    edits = _Edits(text)
    for mark in marks:
        if not mark.where:
            _set_document(edits, root, mark.fingerprint)
            continue
        group, *key = mark.where
        parent = _child(root, group)
        entry = parent if not key else None  # the controller's facts: one entry
        if key and parent is not None and isinstance(parent[1], MappingNode):
            entry = _child(parent[1], key[0])
        if entry is None or not isinstance(entry[1], MappingNode) or not (entry[1].value or entry[1].flow_style):
            raise MarkError(f"{'.'.join(mark.where)} is not a mapping of translated texts")
        _set(edits, entry[1], mark.fingerprint)
    return edits.apply()


# --- The skeleton --------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style; text with line breaks as a literal block (``|``), so paragraphs stay readable."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def _service_texts(service: Service) -> dict[str, str]:
    return {"name": service.name, **({"description": service.description} if service.description else {})}


def _section_texts(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"title": section.title}
    if section.text is not None:
        out["text"] = section.text
    if section.items:
        out["items"] = [{"term": i.term, "text": i.text} if isinstance(i, TermItem) else i for i in section.items]
    if section.table is not None:
        table: dict[str, Any] = {"caption": section.table.caption} if section.table.caption else {}
        table["columns"] = list(section.table.columns)
        table["rows"] = [list(row) for row in section.table.rows]
        out["table"] = table
    if section.after is not None:
        out["after"] = section.after
    return out


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False
    )


def skeleton_text(policy: Policy, lang: str, *, schema: str = "../translation.schema.json") -> str:
    """A translation file for ``policy`` in ``lang`` holding the original's texts, ready to be translated."""
    head = [
        f"# yaml-language-server: $schema={schema}",
        f"# The {lang} translation of {policy.title!r} (policy.yaml), keyed by id. Replace each text with its",
        "# translation; ids, order, numbering, cookies' names and durations come from the original. When an",
        f"# entry is translated, run `policyforge translate mark {lang} ID` (it writes `translated_from`).",
        f"# Until then `policyforge translate status {lang}` lists it as not marked.",
    ]
    document: dict[str, Any] = {"language": lang, "title": policy.title}
    if policy.preamble:
        document["preamble"] = policy.preamble
    if policy.quick_reference:
        document["quick_reference"] = list(policy.quick_reference)
    if policy.closing:
        document["closing"] = policy.closing
    parts = [_dump(document)]
    sections = {ns.section.id: _section_texts(ns.section) for ns in numbered_sections(policy.sections)}
    parts.append(_dump({"sections": sections}))
    if policy.categories:
        categories = {
            c.id: {
                "title": c.title,
                "description": c.description,
                **({"cookies": {k.name: k.purpose for k in c.cookies}} if c.cookies else {}),
                **({"services": {s.id: _service_texts(s) for s in c.services}} if c.services else {}),
            }
            for c in policy.categories
        }
        parts.append(_dump({"categories": categories}))
        parts.append(
            "# banner: the built-in texts of this language are used; override any of them here, e.g.\n"
            "# banner:\n#   accept: ...\n#   reject: ...\n"
        )
    for kind, group in FACT_GROUPS.items():
        texts = {key: unflatten(fact_texts(m, kind)) for k, key, m in fact_parts(policy) if k == kind}
        if texts:
            parts.append(_dump({group: texts.get("", {}) if kind == "controller" else texts}))
    used = _labels_shown(policy)
    if used:
        lines = [f"#   {key}: {name}" for key, name in used.items()]
        parts.append(
            "# labels: fideslang's names shown in the processing table, in English until given here, e.g.\n"
            "# labels:\n" + "\n".join(lines) + "\n"
        )
    return "\n".join(head) + "\n" + "\n".join(parts)


def _labels_shown(policy: Policy) -> dict[str, str]:
    """The fideslang keys an `include: processing` table shows (each activity's data categories, or its data use
    when it lists none), with fideslang's English names; empty when no section includes the table."""
    if not any(ns.section.include == "processing" for ns in numbered_sections(policy.sections)):
        return {}
    shown: dict[str, str] = {}
    for activity in policy.processing:
        if activity.data_categories:
            shown.update({c: taxonomy_name("data_category", c) for c in activity.data_categories})
        else:
            shown[activity.data_use] = taxonomy_name("data_use", activity.data_use)
    return shown


# --- Marking a translation file ------------------------------------------------------------------


@dataclass(frozen=True)
class Marked:
    """One entry ``translate mark`` set: its part, its line, the new fingerprint and the one it replaced."""

    title: str
    line: int
    fingerprint: str
    was: str | None


def _resolve(ident: str, draft: Policy, policy_file: str) -> str:
    """A part's key in :attr:`Translated.states` from what a translator types: an id, ``category:ID``, ``document``."""
    sections = [ns.section.id for ns in numbered_sections(draft.sections)]
    categories = [c.id for c in draft.categories]
    if ident == DOCUMENT_KEY:
        return DOCUMENT_KEY
    if ident in sections:
        return ident
    facts = [fact_key(kind, key) for kind, key, _ in fact_parts(draft)]
    if ident in facts:
        return ident
    bare = ident.removeprefix("category:")
    if bare in categories:
        return category_key(bare)
    close = difflib.get_close_matches(ident, [*sections, *categories, *facts], n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise MarkError(
        f"no section, consent category or fact {ident!r} in {policy_file}{hint}",
        hint="Name sections and consent categories by their ids (`category:ID` when a section has the "
        "same id), `document` for the title, preamble, quick reference and closing, `activity:ID`, "
        "`recipient:ID` or `controller` for the facts' prose.",
    )


def _where(state: PartState) -> tuple[str, ...]:
    if state.kind == "controller":
        return (FACT_GROUPS["controller"],)
    group = FACT_GROUPS.get(state.kind) or ("sections" if state.kind == "section" else "categories")
    return () if state.kind == "document" else (group, state.key)


def entry_of(problem: Problem) -> str | None:
    """The part a translation file's problem belongs to (a key of :attr:`Translated.states`), ``""`` for the
    banner texts (no entry to mark), None for the file as a whole (its language, its shape, its YAML)."""
    head, _, rest = problem.path.partition(".")
    key = re.split(r"[.\[]", rest, maxsplit=1)[0]
    if head == "sections" and key:
        return key
    if head == "categories" and key:
        return category_key(key)
    kinds = {group: kind for kind, group in FACT_GROUPS.items()}
    if head in kinds and (key or head == FACT_GROUPS["controller"]):
        return fact_key(kinds[head], key)
    name = re.split(r"[.\[]", problem.path, maxsplit=1)[0]
    if name in (*DOCUMENT_FIELDS, MARK):
        return DOCUMENT_KEY
    return "" if name == "banner" else None


@dataclass(frozen=True)
class MarkResult:
    """What :func:`mark_translation` did: the new text, the entries marked, how many of the chosen entries
    already were, and the entries left unmarked because they have problems (with those problems)."""

    text: str
    marked: list[Marked]
    already: int
    skipped: dict[str, list[Problem]]
    left_stale: tuple[str, ...] = ()  # entries marked from another text, not chosen (no ids and not every_entry)


def mark_translation(
    text: str,
    translation: Translation,
    draft: Policy,
    ids: Sequence[str],
    *,
    problems: Sequence[Problem] = (),
    policy_file: str = "policy.yaml",
    every_entry: bool = False,
) -> MarkResult:
    """``text`` (of ``translation``'s file) with ``translated_from`` set to the draft's fingerprint for the
    entries ``ids`` (default: every entry not marked yet; with ``every_entry``, every entry the file has).
    An entry marked from another text is stale: it is marked again only when chosen by id (or with
    ``every_entry``), so a habitual run never silences the drift it should show; those left are listed.

    ``problems`` are the file's errors: an entry with a problem is never marked (it is skipped when no
    ``ids`` are given, and a :class:`SourceError` when it is chosen), and a problem of the file as a whole
    marks nothing. :class:`MarkError` for an id the draft or the file lacks.
    """
    blocked: dict[str, list[Problem]] = {}
    for problem in problems:
        key = entry_of(problem)
        if key is None:
            raise SourceError(list(problems), source=translation.file)
        if key:
            blocked.setdefault(key, []).append(problem)
    states = translate_policy(draft, translation).states
    present = {DOCUMENT_KEY} if translation.document is not None else set()
    present |= set(translation.sections) | {category_key(c) for c in translation.categories} | set(translation.facts)
    keys = (
        [_resolve(i, draft, policy_file) for i in ids]
        if ids
        else [k for k in states if k in present and (every_entry or states[k].translated_from is None)]
    )
    left = (
        ()
        if ids or every_entry
        else tuple(
            part_title(draft, states[k])
            for k in states
            if k in present and states[k].translated_from not in (None, states[k].fingerprint)
        )
    )
    for key in keys:
        if key not in present:
            raise MarkError(
                f"{part_title(draft, states[key])} has no entry in {translation.file}: translate it before marking it",
                hint="Add the entry with every text field the original has (its title, text, items...), "
                "translate it, then mark it.",
            )
    chosen_blocked = [p for k in keys if k in blocked for p in blocked[k]] if ids else []
    if chosen_blocked:
        raise SourceError(chosen_blocked, source=translation.file)
    chosen = [states[k] for k in dict.fromkeys(keys) if k not in blocked]
    todo = [s for s in chosen if s.translated_from != s.fingerprint]
    marks = [Mark(_where(s), s.fingerprint) for s in todo]
    new_text = mark_text(text, marks) if marks else text
    expected = copy.deepcopy(yaml.load(text, Loader=Core12Loader))
    for mark in marks:
        target = expected
        for part in mark.where:
            target = target[part]
        target[MARK] = mark.fingerprint
    if yaml.load(new_text, Loader=Core12Loader) != expected:
        raise MarkError(f"could not set translated_from in place in {translation.file}; the file is unchanged")
    done = [Marked(part_title(draft, s), s.line, s.fingerprint, s.translated_from) for s in todo]
    skipped = {part_title(draft, states[k]): blocked[k] for k in dict.fromkeys(keys) if k in blocked}
    return MarkResult(new_text, done, len(chosen) - len(todo), skipped, left)

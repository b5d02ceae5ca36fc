"""Section-aware diff of two policies, comparing what a reader sees.

Sections are matched by their stable ``id`` across the whole tree first, so a section that was
renumbered, retitled or moved is still the same section. A removed and an added section whose
bodies are at least 60% alike are then matched by content: one section whose id changed, shown
with a word diff instead of as wholly deleted and re-inserted. For each section the diff
reports whether it was added, removed, moved (other parent, or out of order among the siblings
it shares with the old version), renamed (new title or new id) or changed.

Bodies are compared as the words a reader sees (:mod:`policyforge.source.reader_text`): no
Markdown syntax, link targets apart from link text. The word diff is a shortest edit script
(:mod:`.worddiff`), so the redline marks exactly the words that must change; a link whose
target changed is reported as such, never as "no changes". Each run of words keeps its block
(paragraph, list item, table cell) so the redlines can keep the document's structure.

A diff is data (counts, kinds of change, codes): no sentence a reader sees is written here. The
site words it in the page's language (:mod:`policyforge.site.diff_words`), the CLI in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from ..source.model import Policy
from ..source.numbering import numbered_sections
from ..source.reader_text import Counter as _Uid
from ..source.reader_text import Frame, Word, markdown_blocks, plain_inline, section_blocks
from ..source.revision import consent_revision
from .body_diff import LinkChange, WordOp, body_diff
from .diff_items import ItemChange, consent_changes, document_changes
from .fact_diff import FactChange, fact_changes
from .worddiff import opcodes

__all__ = [
    "KINDS",
    "MATCH_RATIO",
    "ItemChange",
    "LinkChange",
    "NoteCode",
    "PolicyDiff",
    "SectionChange",
    "WordOp",
    "diff_policies",
    "diff_to_json",
    "elide",
]

MATCH_RATIO = 0.6  # a removed and an added section at least this alike are one section
_MATCH_MIN_WORDS = 8  # ... and share at least this many words (or their title)
KINDS = ("added", "removed", "moved", "renamed", "changed")  # the kinds of change of a section, in this order
# What changed about a section's `include`: it now lists the consent categories, no longer does, or they changed;
# it now shows a table of the facts (processing, recipients, rights, controller), or no longer does
NoteCode = Literal["", "lists_categories", "unlists_categories", "categories_changed", "shows_facts", "unshows_facts"]
_CATEGORIES = "consent-categories"


@dataclass(frozen=True)
class _Node:
    """A section (or ``@preamble``, ``@quick-reference``, ``@closing``: no number, no title) as a reader sees it."""

    id: str
    number: str
    title: str
    parent: str | None
    body: tuple[Word, ...]
    include: str | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.body)


@dataclass(frozen=True)
class SectionChange:
    """How one section (matched by id, or by content) differs between the two versions."""

    id: str
    old: _Node | None
    new: _Node | None
    moved: bool = False
    ops: tuple[WordOp, ...] = ()
    note: NoteCode = ""
    links: tuple[LinkChange, ...] = ()

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def old_id(self) -> str | None:
        """The section's id in the old version when it changed (matched by content)."""
        return self.old.id if self.old is not None and self.new is not None and self.old.id != self.new.id else None

    @property
    def renamed(self) -> bool:
        return (
            self.old is not None
            and self.new is not None
            and (self.old.title != self.new.title or self.old_id is not None)
        )

    @property
    def changed(self) -> bool:
        return (
            self.old is not None
            and self.new is not None
            and (bool(self.note) or bool(self.links) or any(op.kind != "equal" for op in self.ops))
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        flags = (self.added, self.removed, self.moved, self.renamed, self.changed)
        return tuple(name for name, on in zip(KINDS, flags, strict=True) if on)

    @property
    def title(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.title

    @property
    def number(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.number

    @property
    def words_added(self) -> int:
        return sum(len(op.words) for op in self.ops if op.kind == "insert")

    @property
    def words_removed(self) -> int:
        return sum(len(op.words) for op in self.ops if op.kind == "delete")


@dataclass(frozen=True)
class PolicyDiff:
    """Everything that differs between ``old`` and ``new``."""

    old_label: str
    new_label: str
    sections: tuple[SectionChange, ...]
    unchanged: tuple[tuple[str, str, str], ...]
    consent: tuple[ItemChange, ...]
    document: tuple[ItemChange, ...]
    old_revision: str
    new_revision: str
    words_old: int
    words_new: int
    counts: dict[str, int] = field(default_factory=dict)
    republished: bool = False  # ``new`` is a republication: released to record the same text again
    facts: tuple[FactChange, ...] = ()  # the facts a regulator checks (fact_diff.py)

    @property
    def consent_relevant(self) -> bool:
        return self.old_revision != self.new_revision

    @property
    def words_added(self) -> int:
        return sum(c.words_added for c in self.sections)

    @property
    def words_removed(self) -> int:
        return sum(c.words_removed for c in self.sections)

    @property
    def links(self) -> tuple[LinkChange, ...]:
        """Every changed link target, in document order."""
        return tuple(link for c in self.sections for link in c.links)

    @property
    def is_empty(self) -> bool:
        return not (self.sections or self.consent or self.document or self.facts)

    def ids(self, kind: str) -> list[str]:
        """Ids of the sections with change ``kind`` (added, removed, moved, renamed, changed)."""
        return [c.id for c in self.sections if kind in c.kinds]


def elide(
    words: tuple[str, ...], *, first: bool, last: bool, context: int
) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    """Shorten an unchanged run of words inside a changed section to its ends.

    Returns ``(head, hidden, tail)``: the words shown before the gap, how many are left out, and
    the words shown after it. A run that opens the section (``first``) keeps no head and one that
    closes it (``last``) keeps no tail, since only the words next to a change give it context. A
    run short enough to show whole comes back as ``(words, 0, ())``.
    """
    if len(words) <= 2 * context + context // 2:
        return words, 0, ()
    head = () if first else words[:context]
    tail = () if last else words[-context:]
    return head, len(words) - len(head) - len(tail), tail


def _nodes(policy: Policy, side: str) -> dict[str, _Node]:
    out: dict[str, _Node] = {}
    uid = _Uid(f"{side}p")
    if policy.preamble:
        out["@preamble"] = _Node("@preamble", "", "", None, tuple(markdown_blocks(policy.preamble, (), uid)))
    if policy.quick_reference:
        ul = Frame("ul", uid())
        words = tuple(
            w for q in policy.quick_reference for w in markdown_blocks(q, (ul, Frame("li", uid())), uid, item=True)
        )
        out["@quick-reference"] = _Node("@quick-reference", "", "", None, words)
    for ns in numbered_sections(policy.sections):
        sec = ns.section
        body = tuple(section_blocks(sec, f"{side}{sec.id}-"))
        out[sec.id] = _Node(sec.id, ns.label, plain_inline(sec.title), ns.parent_id, body, sec.include)
    if policy.closing:
        out["@closing"] = _Node("@closing", "", "", None, tuple(markdown_blocks(policy.closing, (), _Uid(f"{side}c"))))
    return out


def _similar(old: _Node, new: _Node) -> float:
    """How alike two section bodies are (0..1), 0 when they share too few words to tell."""
    matcher = SequenceMatcher(None, old.words, new.words, autojunk=False)
    if matcher.real_quick_ratio() < MATCH_RATIO or matcher.quick_ratio() < MATCH_RATIO:
        return 0.0
    shared = sum(size for _, _, size in matcher.get_matching_blocks())
    if shared < _MATCH_MIN_WORDS and old.title != new.title:
        return 0.0
    return matcher.ratio()


def _match_by_content(old: dict[str, _Node], new: dict[str, _Node]) -> dict[str, str]:
    """Old id → new id for removed and added sections at least :data:`MATCH_RATIO` alike (best first)."""
    gone = [k for k in old if k not in new and not k.startswith("@")]
    came = [k for k in new if k not in old and not k.startswith("@")]
    scored = sorted(((_similar(old[g], new[c]), g, c) for g in gone for c in came), reverse=True)
    out: dict[str, str] = {}
    for score, g, c in scored:
        if score >= MATCH_RATIO and g not in out and c not in out.values():
            out[g] = c
    return out


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """Items of the longest common subsequence of two lists of distinct ids."""
    keep: set[str] = set()
    for tag, i1, i2, _, _ in opcodes(a, b):
        if tag == "equal":
            keep.update(a[i1:i2])
    return keep


def _moved(old: dict[str, _Node], new: dict[str, _Node], renames: dict[str, str]) -> set[str]:
    common = [k for k in old if k in new and not k.startswith("@")]
    moved = {k for k in common if renames.get(old[k].parent or "", old[k].parent) != new[k].parent}
    stay = [k for k in common if k not in moved]
    for parent in {new[k].parent for k in stay}:
        old_seq = [k for k in old if k in stay and new[k].parent == parent]
        new_seq = [k for k in new if k in stay and new[k].parent == parent]
        moved |= set(old_seq) - _lcs(old_seq, new_seq)
    return moved


def _ordered(old: dict[str, _Node], new: dict[str, _Node]) -> Iterator[str]:
    """New document order, each removed section placed after its nearest surviving predecessor."""
    after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for key in old:
        if key in new:
            anchor = key
        else:
            after.setdefault(anchor, []).append(key)
    yield from after.get(None, [])
    for key in new:
        yield key
        yield from after.get(key, [])


def diff_policies(
    old: Policy, new: Policy, *, old_label: str = "old", new_label: str = "new", republished: bool = False
) -> PolicyDiff:
    """Compare two policies section by section; ``republished``: ``new`` was released as a republication."""
    a, b = _nodes(old, "o"), _nodes(new, "n")
    renames = _match_by_content(a, b)
    a = {renames.get(key, key): node for key, node in a.items()}
    moved = _moved(a, b, renames)
    consent = tuple(consent_changes(old, new))
    changes: list[SectionChange] = []
    unchanged: list[tuple[str, str, str]] = []
    for key in _ordered(a, b):
        was, now = a.get(key), b.get(key)
        ops, links = body_diff(was.body if was else (), now.body if now else ())
        note: NoteCode = ""
        if was and now and was.include != now.include:
            if _CATEGORIES in (was.include, now.include):
                note = "lists_categories" if now.include == _CATEGORIES else "unlists_categories"
            else:
                note = "shows_facts" if now.include else "unshows_facts"
        elif was and now and now.include == _CATEGORIES and consent:
            note = "categories_changed"
        change = SectionChange(key, was, now, key in moved, ops, note, links)
        if change.kinds:
            changes.append(change)
        elif now is not None:
            unchanged.append((key, now.number, now.title))
    counts = {kind: sum(kind in c.kinds for c in changes) for kind in KINDS}
    counts["links"] = sum(len(c.links) for c in changes)
    return PolicyDiff(
        old_label,
        new_label,
        tuple(changes),
        tuple(unchanged),
        consent,
        tuple(document_changes(old, new)),
        consent_revision(old),
        consent_revision(new),
        sum(len(n.body) for n in a.values()),
        sum(len(n.body) for n in b.values()),
        counts,
        republished,
        tuple(fact_changes(old, new)),
    )


def diff_to_json(d: PolicyDiff) -> dict[str, Any]:
    """The diff as plain JSON data."""

    def node(n: _Node | None) -> dict[str, Any] | None:
        return None if n is None else {"id": n.id, "number": n.number, "title": n.title, "parent": n.parent}

    return {
        "old": d.old_label,
        "new": d.new_label,
        "consent_relevant": d.consent_relevant,
        "republished": d.republished,
        "consent_revision": {"old": d.old_revision, "new": d.new_revision},
        "words": {"old": d.words_old, "new": d.words_new, "added": d.words_added, "removed": d.words_removed},
        "counts": {**d.counts, "unchanged": len(d.unchanged)},
        "consent": [c.to_json() for c in d.consent],
        "document": [c.to_json() for c in d.document],
        "facts": [c.to_json() for c in d.facts],
        "sections": [
            {
                "id": c.id,
                "kinds": list(c.kinds),
                "old": node(c.old),
                "new": node(c.new),
                "note": c.note,
                "words_added": c.words_added,
                "words_removed": c.words_removed,
                "links": [vars(link) for link in c.links],
                "ops": [[op.kind, op.text] for op in c.ops],
            }
            for c in d.sections
        ],
        "unchanged": [{"id": i, "number": n, "title": t} for i, n, t in d.unchanged],
    }

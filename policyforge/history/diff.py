"""Section-aware diff of two policies.

Sections are matched by their stable ``id`` across the whole tree, so a section that was
renumbered, retitled or moved is still the same section. For each section the diff reports
whether it was added, removed, moved (other parent, or out of order among the siblings it
shares with the old version), renamed (same id, new title) or changed (word-level diff of
its body). The consent block is compared item by item, and the diff is *consent-relevant*
when the consent revision differs. Rendered as data here (:func:`diff_to_json`) the
terminal text lives in :mod:`diff_text` and the HTML redline in :mod:`diff_html`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from ..source.model import ConsentCategory, Cookie, Policy, Section, TermItem
from ..source.numbering import numbered_sections
from ..source.revision import consent_revision

__all__ = [
    "ItemChange",
    "PolicyDiff",
    "SectionChange",
    "WordOp",
    "diff_policies",
    "diff_to_json",
    "elide",
    "plain_words",
    "plural",
]

OpKind = Literal["equal", "insert", "delete"]
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|\*|`")


@dataclass(frozen=True)
class WordOp:
    """A run of words that is unchanged, inserted or deleted."""

    kind: OpKind
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class _Node:
    id: str
    number: str
    title: str
    parent: str | None
    words: tuple[str, ...]
    include: str | None = None


@dataclass(frozen=True)
class SectionChange:
    """How one section (matched by id) differs between the two versions."""

    id: str
    old: _Node | None
    new: _Node | None
    moved: bool = False
    ops: tuple[WordOp, ...] = ()
    note: str = ""

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def renamed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.title != self.new.title

    @property
    def changed(self) -> bool:
        return self.old is not None and self.new is not None and (
            bool(self.note) or any(op.kind != "equal" for op in self.ops))

    @property
    def kinds(self) -> tuple[str, ...]:
        flags = (("added", self.added), ("removed", self.removed), ("moved", self.moved),
                 ("renamed", self.renamed), ("changed", self.changed))
        return tuple(name for name, on in flags if on)

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
class ItemChange:
    """One change outside the sections: a consent category, a cookie, the lifetime, a document field."""

    kind: Literal["added", "removed", "changed"]
    subject: str
    name: str
    detail: str = ""


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
    def is_empty(self) -> bool:
        return not (self.sections or self.consent or self.document)

    def ids(self, kind: str) -> list[str]:
        """Ids of the sections with change ``kind`` (added, removed, moved, renamed, changed)."""
        return [c.id for c in self.sections if kind in c.kinds]

    def summary(self) -> str:
        """One line: what changed structurally, with word counts."""
        if self.is_empty:
            return "No changes."
        parts = [f"{plural(n, 'section')} {kind}" for kind in
                 ("added", "removed", "moved", "renamed", "changed") if (n := self.counts.get(kind, 0))]
        if self.consent:
            parts.append(plural(len(self.consent), "cookie and consent change"))
        if self.document:
            parts.append(plural(len(self.document), "document detail") + " changed")
        words = f"+{self.words_added}/−{self.words_removed} words"
        tail = "; consent-relevant" if self.consent_relevant else ""
        return f"{', '.join(parts) or 'No section changes'}; {words}{tail}."


def plural(n: int, word: str, many: str | None = None) -> str:
    """``3 sections``, ``1 section``; ``many`` for irregular plurals (``categories``)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def elide(words: tuple[str, ...], *, first: bool, last: bool,
          context: int) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
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


def plain_words(markdown_text: str | None) -> tuple[str, ...]:
    """The words of a Markdown text, without link targets or emphasis markers."""
    if not markdown_text:
        return ()
    return tuple(_EMPHASIS.sub("", _LINK.sub(r"\1", markdown_text)).split())


def _section_words(section: Section) -> tuple[str, ...]:
    words = list(plain_words(section.text))
    for item in section.items:
        if isinstance(item, TermItem):
            words += [*plain_words(item.term + ":"), *plain_words(item.text)]
        else:
            words += plain_words(item)
    return (*words, *plain_words(section.after))


def _nodes(policy: Policy) -> dict[str, _Node]:
    out: dict[str, _Node] = {}
    if policy.quick_reference:
        words = tuple(w for q in policy.quick_reference for w in plain_words(q))
        out["@quick-reference"] = _Node("@quick-reference", "", "Quick Reference", None, words)
    for ns in numbered_sections(policy.sections):
        sec = ns.section
        out[sec.id] = _Node(sec.id, ns.label, sec.title, ns.parent_id, _section_words(sec), sec.include)
    if policy.closing:
        out["@closing"] = _Node("@closing", "", "Closing", None, plain_words(policy.closing))
    return out


def _word_ops(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[WordOp, ...]:
    if a == b:
        return (WordOp("equal", a),) if a else ()
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", a[i1:i2]))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", a[i1:i2]))
        if j2 > j1:
            ops.append(WordOp("insert", b[j1:j2]))
    return tuple(ops)


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """Items of the longest common subsequence of two lists of distinct ids."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            rows[i][j] = rows[i + 1][j + 1] + 1 if a[i] == b[j] else max(rows[i + 1][j], rows[i][j + 1])
    keep: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _moved(old: dict[str, _Node], new: dict[str, _Node]) -> set[str]:
    common = [k for k in old if k in new and not k.startswith("@")]
    moved = {k for k in common if old[k].parent != new[k].parent}
    stay = [k for k in common if k not in moved]
    for parent in {old[k].parent for k in stay}:
        old_seq = [k for k in old if k in stay and old[k].parent == parent]
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


def _cookie_line(category: ConsentCategory, cookie: Cookie) -> str:
    return f"{category.title}; {cookie.provider}; {cookie.purpose}; {cookie.duration}"


def _consent_changes(old: Policy, new: Policy) -> list[ItemChange]:
    out: list[ItemChange] = []
    a, b = old.consent, new.consent
    if a.lifetime_days != b.lifetime_days:
        out.append(ItemChange("changed", "consent lifetime", "lifetime_days",
                              f"{a.lifetime_days} days → {b.lifetime_days} days"))
    if a.cookie != b.cookie:
        out.append(ItemChange("changed", "consent record cookie", b.cookie, f"{a.cookie} → {b.cookie}"))
    old_cats = {c.id: c for c in a.categories}
    new_cats = {c.id: c for c in b.categories}
    for cid, cat in new_cats.items():
        gcm = f"; Google Consent Mode: {', '.join(cat.gcm)}" if cat.gcm else ""
        was = old_cats.get(cid)
        if was is None:
            kind = "essential" if cat.required else "optional"
            out.append(ItemChange("added", "consent category", cid, f"{cat.title} ({kind}){gcm}"))
            continue
        for attr in ("title", "description", "required", "gcm"):
            before, after = getattr(was, attr), getattr(cat, attr)
            if before != after:
                show = (lambda v: ", ".join(v) or "none") if attr == "gcm" else str
                detail = f"{attr}: {show(before)} → {show(after)}"
                out.append(ItemChange("changed", "consent category", cid, detail))
    out += [ItemChange("removed", "consent category", cid, cat.title)
            for cid, cat in old_cats.items() if cid not in new_cats]
    old_cookies = {k.name: (c, k) for c in a.categories for k in c.cookies}
    new_cookies = {k.name: (c, k) for c in b.categories for k in c.cookies}
    for name, (cat, cookie) in new_cookies.items():
        if name not in old_cookies:
            out.append(ItemChange("added", "cookie", name, _cookie_line(cat, cookie)))
        elif _cookie_line(*old_cookies[name]) != _cookie_line(cat, cookie) or old_cookies[name][1] != cookie:
            out.append(ItemChange("changed", "cookie", name,
                                  f"{_cookie_line(*old_cookies[name])} → {_cookie_line(cat, cookie)}"))
    out += [ItemChange("removed", "cookie", name, _cookie_line(*pair))
            for name, pair in old_cookies.items() if name not in new_cookies]
    return out


def _document_changes(old: Policy, new: Policy) -> list[ItemChange]:
    pairs = (("title", old.title, new.title), ("product", old.product, new.product),
             ("controller", old.controller.name, new.controller.name),
             ("contact e-mail", old.controller.email, new.controller.email))
    return [ItemChange("changed", subject, subject, f"{a} → {b}") for subject, a, b in pairs if a != b]


def diff_policies(old: Policy, new: Policy, *, old_label: str = "old", new_label: str = "new") -> PolicyDiff:
    """Compare two policies section by section."""
    a, b = _nodes(old), _nodes(new)
    moved = _moved(a, b)
    consent = tuple(_consent_changes(old, new))
    changes: list[SectionChange] = []
    unchanged: list[tuple[str, str, str]] = []
    for key in _ordered(a, b):
        was, now = a.get(key), b.get(key)
        ops = _word_ops(was.words if was else (), now.words if now else ())
        note = ""
        if was and now and was.include != now.include:
            note = ("now lists the consent categories" if now.include
                    else "no longer lists the consent categories")
        elif was and now and now.include and consent:
            note = "the consent categories or cookies changed (see the cookie and consent changes)"
        change = SectionChange(key, was, now, key in moved, ops, note)
        if change.kinds:
            changes.append(change)
        elif now is not None:
            unchanged.append((key, now.number, now.title))
    counts = {kind: sum(kind in c.kinds for c in changes)
              for kind in ("added", "removed", "moved", "renamed", "changed")}
    return PolicyDiff(
        old_label, new_label, tuple(changes), tuple(unchanged), consent,
        tuple(_document_changes(old, new)), consent_revision(old), consent_revision(new),
        sum(len(n.words) for n in a.values()), sum(len(n.words) for n in b.values()), counts)


def diff_to_json(d: PolicyDiff) -> dict[str, Any]:
    """The diff as plain JSON data."""
    def node(n: _Node | None) -> dict[str, Any] | None:
        return None if n is None else {"number": n.number, "title": n.title, "parent": n.parent}

    return {
        "old": d.old_label,
        "new": d.new_label,
        "summary": d.summary(),
        "consent_relevant": d.consent_relevant,
        "consent_revision": {"old": d.old_revision, "new": d.new_revision},
        "words": {"old": d.words_old, "new": d.words_new, "added": d.words_added, "removed": d.words_removed},
        "counts": {**d.counts, "unchanged": len(d.unchanged)},
        "consent": [vars(c) for c in d.consent],
        "document": [vars(c) for c in d.document],
        "sections": [
            {"id": c.id, "kinds": list(c.kinds), "old": node(c.old), "new": node(c.new), "note": c.note,
             "words_added": c.words_added, "words_removed": c.words_removed,
             "ops": [[op.kind, op.text] for op in c.ops]}
            for c in d.sections
        ],
        "unchanged": [{"id": i, "number": n, "title": t} for i, n, t in d.unchanged],
    }

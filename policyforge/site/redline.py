"""The HTML redline of a :class:`~policyforge.history.diff.PolicyDiff`, rendered from ``redline/diff.html``.

Inserted words are ``<ins>``, deleted words ``<del>``; each starts with visually hidden text
(``added:`` / ``removed:``, class ``pf-sr``) so screen readers announce the change. The redline
keeps the document's structure: every run of words is written into the block it belongs to
(paragraph, list item, table cell), rebuilt as the same nested lists and tables, so a new list
stays a list and a table stays a table. Long unchanged runs inside a block are shortened to
their ends; unchanged sections are
listed, collapsed, in a ``<details>`` element. The template escapes every string. Every
``<h3>`` has a unique ``id`` starting with ``diff-``, so the site search lists each changed
section under its own title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..history.body_diff import by_block
from ..history.diff import PolicyDiff, SectionChange, WordOp, elide
from .diff_words import Words
from .strings import text
from .templating import Markup, render

__all__ = ["Href", "diff_html"]

_CONTEXT = 15
Href = Callable[[str], str | None]


@dataclass(frozen=True)
class _Words:
    """One run of a redline as the template shows it: inserted, deleted, or unchanged (maybe elided)."""

    kind: str
    text: str = ""
    head: str = ""
    hidden: int = 0
    tail: str = ""


@dataclass
class _Block:
    """One element of the redline tree: a list, item, table part, paragraph or cell; ``tag`` "" is bare text."""

    tag: str
    start: int | None = None
    parts: tuple[_Words, ...] = ()
    children: list[_Block] = field(default_factory=list)
    uid: str = ""


_TAGS = frozenset({"ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "p", "blockquote", "section"})


def _tree(ops: tuple[WordOp, ...]) -> list[_Block]:
    """The runs of a section as nested blocks, in the layout of the document."""
    root = _Block("root")
    for block, runs in by_block(ops):
        node = root
        for frame in block.frames:
            last = node.children[-1] if node.children else None
            if last is None or last.uid != frame.uid:
                last = _Block(frame.tag if frame.tag in _TAGS else "div", frame.start, uid=frame.uid)
                node.children.append(last)
            node = last
        leaf = "" if block.bare else block.leaf if block.leaf in _TAGS else "p"
        node.children.append(_Block(leaf, None, _parts(runs), uid=block.uid))
    return root.children


@dataclass(frozen=True)
class _Section:
    change: SectionChange
    heading_id: str
    label: str
    href: str | None
    blocks: tuple[_Block, ...]


def _parts(ops: tuple[WordOp, ...]) -> tuple[_Words, ...]:
    out: list[_Words] = []
    for i, op in enumerate(ops):
        if op.kind in ("insert", "delete"):
            out.append(_Words(op.kind, op.text))
            continue
        head, hidden, tail = elide(op.words, first=i == 0, last=i == len(ops) - 1, context=_CONTEXT)
        out.append(_Words("equal", " ".join(op.words), " ".join(head), hidden, " ".join(tail)))
    return tuple(out)


class _Ids:
    """Unique heading ids within one diff: ``diff-usage``, then ``diff-usage-2`` on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = f"diff-{name.lstrip('@')}"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _section(change: SectionChange, new_href: Href, old_href: Href, heading_id: str, words: Words) -> _Section:
    link = new_href if change.new is not None else old_href
    href = None if change.id.startswith("@") else link(change.id)
    changed = any(op.kind != "equal" for op in change.ops)
    label = words.section_label(change.id, change.number, change.title)
    return _Section(change, heading_id, label, href, tuple(_tree(change.ops)) if changed else ())


def _no_link(section_id: str) -> str | None:
    return None


def diff_html(
    d: PolicyDiff, *, new_href: Href = _no_link, old_href: Href = _no_link, heading: str | None = None
) -> Markup:
    """The whole diff as one HTML block (no blank lines, so Markdown leaves it alone).

    Its own words are in the page's language (``heading`` defaults to "What changed"); the policy's words
    are the original's, marked with its language on a translated page."""
    ids = _Ids()
    words = Words()
    facts_id = ids("facts") if d.facts else ""
    items_id = ids("consent") if d.consent or d.document else ""
    sections = [_section(c, new_href, old_href, ids(c.id), words) for c in d.sections]
    return render(
        "redline/diff.html",
        d=d,
        words=words,
        heading=heading or text("what_changed_heading"),
        facts_id=facts_id,
        items_id=items_id,
        items=(*d.document, *d.consent),
        sections=sections,
    )

"""The terminal rendering of a :class:`~policyforge.diff.PolicyDiff` (``policyforge diff``).

Inserted words are ``{+...+}`` and deleted words ``[-...-]`` on plain streams; on a tty
(and without ``NO_COLOR``) they are green and red struck through instead. The redline keeps
the document's structure: each paragraph on its own line, list items as ``-`` or numbered
lines indented by their depth, table rows as ``| cell | cell |``. Unchanged blocks far from
a change are shortened to ``…``. Text from the policy passes through :func:`terminal_safe`
first, so escape sequences written in the YAML never reach the terminal; the only escape
codes printed are this module's own colours.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

from ..history.body_diff import WordOp, by_block
from ..history.diff import PolicyDiff, elide
from ..site.diff_words import Words
from ..source.reader_text import Block
from ..terminal import terminal_safe

__all__ = ["ENGLISH", "Paint", "painter", "redline", "render_terminal", "use_color"]

_ANSI = {"insert": "\x1b[32m", "delete": "\x1b[31;9m", "bold": "\x1b[1m", "badge": "\x1b[33;1m", "reset": "\x1b[0m"}
_CONTEXT = 12
ENGLISH = Words("en", html=False)  # the terminal speaks English, in the pages' own words (site/strings.yaml)
_MARKS = {"insert": ("{+", "+}"), "delete": ("[-", "-]")}
Paint = Callable[[str, str], str]


def _elide(words: tuple[str, ...], first: bool, last: bool) -> str:
    head, hidden, tail = elide(words, first=first, last=last, context=_CONTEXT)
    if not hidden:
        return " ".join(words)
    return " ".join([*head, "…", *tail])


class _Prefixes:
    """The start of each line: indentation by list depth, a bullet or number for an item's first line."""

    def __init__(self) -> None:
        self.items: set[str] = set()
        self.numbers: dict[str, int] = {}

    def __call__(self, block: Block) -> str:
        depth = sum(f.tag in ("ul", "ol") for f in block.frames)
        indent = "  " * max(depth - 1, 0)
        if block.leaf in ("th", "td"):
            return "| "
        items = [i for i, f in enumerate(block.frames) if f.tag == "li"]
        if not items:
            return ""
        li = block.frames[items[-1]]
        if li.uid in self.items:
            return indent + "  "
        self.items.add(li.uid)
        parent = block.frames[items[-1] - 1] if items[-1] else None
        if parent is not None and parent.tag == "ol":
            number = self.numbers.get(parent.uid, parent.start if parent.start is not None else 1)
            self.numbers[parent.uid] = number + 1
            return f"{indent}{number}. "
        return indent + "- "


def _runs(ops: tuple[WordOp, ...], paint: Paint, color: bool, shorten: bool) -> str:
    parts: list[str] = []
    for i, op in enumerate(ops):
        if op.kind == "equal":
            text = _elide(op.words, i == 0, i == len(ops) - 1) if shorten else op.text
            parts.append(terminal_safe(text))
        else:
            start, end = ("", "") if color else _MARKS[op.kind]
            parts.append(paint(op.kind, f"{start}{terminal_safe(op.text)}{end}"))
    return " ".join(parts)


def painter(color: bool) -> Paint:
    """``paint(kind, text)``: ``text`` in the colour of ``kind`` (insert, delete, bold, badge) when ``color``."""

    def paint(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_ANSI['reset']}" if color else text

    return paint


def use_color(stream: TextIO) -> bool:
    """Colour on a terminal, unless NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def redline(word_ops: tuple[WordOp, ...], paint: Paint, color: bool) -> list[str]:
    """A body's word diff as indented lines, one per block; table cells of one row share a line, and
    unchanged blocks far from a change are shortened to ``…``."""
    lines: list[tuple[str, bool, str]] = []  # (key, changed, text)
    prefix = _Prefixes()
    for block, ops in by_block(word_ops):
        changed = any(op.kind != "equal" for op in ops)
        text = _runs(ops, paint, color, shorten=True)
        if block.leaf in ("th", "td"):
            row = block.frames[-1].uid
            if lines and lines[-1][0] == row:
                key, was, line = lines[-1]
                lines[-1] = (key, was or changed, f"{line} | {text}")
                continue
            lines.append((row, changed, prefix(block) + text))
        else:
            lines.append((block.uid, changed, prefix(block) + text))
    out: list[str] = []
    for n, (_, changed, text) in enumerate(lines):
        near = any(lines[m][1] for m in (n - 1, n + 1) if 0 <= m < len(lines))
        if changed or near:
            out.append("  " + text + (" |" if text.startswith("| ") else ""))
        elif out[-1:] != ["  …"]:
            out.append("  …")
    return out


def render_terminal(d: PolicyDiff, stream: TextIO, *, color: bool | None = None, reclassified: str = "") -> None:
    """Write the diff for a terminal; colour only when ``stream`` is a tty (and NO_COLOR is unset).

    ``reclassified``: the editor's reason when the release was reclassified as editorial (its consent change
    is wording only: nobody is asked again)."""
    if color is None:
        color = use_color(stream)
    safe = terminal_safe
    paint = painter(color)

    words = ENGLISH
    out = [paint("bold", safe(f"Changes from {d.old_label} to {d.new_label}")), safe(words.summary(d))]
    if d.consent_relevant:
        out.append(paint("badge", "CONSENT-RELEVANT: cookies or consent changed; visitors are asked again."))
    elif reclassified:
        out.append(paint("badge", safe(f"EDITORIAL (reclassified): {words.t('reclassified_text')} {reclassified}")))
    out += [safe(f"  {words.tag(fact.kind)}: {words.fact(fact)}") for fact in d.facts]
    out += [safe(f"  {words.tag(item.kind)}: {words.item(item)}") for item in (*d.document, *d.consent)]
    for c in d.sections:
        heading = words.section_label(c.id, c.number, c.title)
        kinds = ", ".join(words.tag(kind) for kind in c.kinds)
        out += ["", paint("bold", safe(f"{heading} [{kinds}] (#{c.id})"))]
        out += [safe(f"  {note}") for note in (*words.notes(c), *words.links(c))]
        if any(op.kind != "equal" for op in c.ops):
            out += redline(c.ops, paint, color)
    if d.unchanged:
        out += ["", words.t("unchanged_sections", n=len(d.unchanged))]
    stream.write("\n".join(out) + "\n")

"""Markdown → a document outline: title, preamble and nested sections, each body as Markdown.

Headings make sections; their levels make the nesting (a level skipped is one level down); an id
written in a heading (``## Cookies {#cookies}``) is kept as the section's id. A single top-level
heading that opens the outline is the document's title. Everything before the first section is
the preamble (with any text before the title heading). A section's body is its Markdown source
as written, so lists, tables, links and emphasis keep their exact form; link reference
definitions and footnotes are copied into every body that uses them, because each body is
rendered on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from ..source.markdown_text import parse
from .notes import Converted, Note

__all__ = ["Outline", "OutlineSection", "outline"]

_NUMBER = re.compile(r"^(?:(?:section|article|§)\s*)?\d+(?:\.\d+)*[.):]?\s+(?=\S)", re.IGNORECASE)
_ANCHOR = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]{0,79})\}\s*$")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)((?:[^\]\\]|\\.)+)\]:\s*(\S+)")


@dataclass
class OutlineSection:
    """One section: its title (inline Markdown), source line, body (Markdown) and subsections."""

    title: str
    line: int
    level: int
    body: str = ""
    sections: list[OutlineSection] = field(default_factory=list)
    anchor: str | None = None  # an id written in the heading: ``## Cookies {#cookies}``


@dataclass
class Outline:
    """A document as sections: its title heading (if any), preamble, sections and notes."""

    title: str | None
    title_line: int
    preamble: str
    sections: list[OutlineSection]
    notes: list[Note]


def _footnote_ranges(tokens: list[Token]) -> dict[str, tuple[int, int]]:
    """label → source line range of each footnote definition."""
    out: dict[str, tuple[int, int]] = {}
    label: str | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            label = str(tok.meta.get("label", ""))
        elif tok.type == "footnote_close":
            label = None
        elif label is not None and tok.map:
            start, end = out.get(label, tok.map)
            out[label] = (min(start, tok.map[0]), max(end, tok.map[1]))
    return out


def _strip_number(title: str) -> str:
    """``2.1 Cookies`` → ``Cookies``: policyforge numbers sections itself."""
    return _NUMBER.sub("", title, count=1) or title


class _Bodies:
    """Body Markdown of line ranges, without definitions; with the definitions each body uses."""

    def __init__(self, lines: list[str], tokens: list[Token]) -> None:
        self.lines = lines
        self.footnotes = _footnote_ranges(tokens)
        covered: set[int] = set()
        for tok in tokens:
            if tok.map and tok.level == 0:
                covered.update(range(*tok.map))
        for start, end in self.footnotes.values():
            covered.difference_update(range(start, end))
        self.foot_lines = {n for start, end in self.footnotes.values() for n in range(start, end)}
        self.refs: dict[str, str] = {}  # normalised label → definition line
        self.ref_lines: set[int] = set()
        for n, line in enumerate(lines):
            match = _REF_DEF.match(line)
            if match and n not in covered:
                self.refs.setdefault(" ".join(match.group(1).lower().split()), line.strip())
                self.ref_lines.add(n)
        self.cited: dict[str, int] = {}

    def body(self, start: int, end: int) -> str:
        kept = [self.lines[n] for n in range(start, end) if n not in self.foot_lines and n not in self.ref_lines]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
        if not text.strip():
            return ""
        extra = []
        for label, definition in self.refs.items():
            if re.search(r"\[" + re.escape(label).replace(r"\ ", r"\s+") + r"\]", text, re.IGNORECASE):
                extra.append(definition)
        for label, (a, b) in self.footnotes.items():
            if f"[^{label}]" in text:
                self.cited[label] = self.cited.get(label, 0) + 1
                extra.append("\n".join(self.lines[a:b]).strip("\n"))
        return text + ("\n\n" + "\n\n".join(extra) if extra else "")


def outline(doc: Converted) -> Outline:
    """The outline of a Markdown document (already cleaned by :func:`clean_markdown`)."""
    lines = doc.markdown.split("\n")
    tokens = parse(doc.markdown)
    notes: list[Note] = []
    headings: list[tuple[int, int, int, str]] = []  # (level, start, end, inline title)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.level == 0 and tok.map:
            headings.append((int(tok.tag[1]), tok.map[0], tok.map[1], tokens[i + 1].content.strip()))
        elif tok.type == "image" or (tok.type == "inline" and any(c.type == "image" for c in tok.children or [])):
            line = doc.source_line(tok.map[0]) if tok.map else 1
            notes.append(Note(line, "image kept as written: copy its file into the site (docs/) or remove it"))
    bodies = _Bodies(lines, tokens)
    title: str | None = None
    title_line = 0
    top = [h for h in headings if h[0] == min((x[0] for x in headings), default=1)]
    lead = ""
    if headings and len(top) == 1 and top[0] is headings[0] and len(headings) > 1:
        title, title_line = headings[0][3], doc.source_line(headings[0][1])
        lead = bodies.body(0, headings[0][1])
        headings = headings[1:]
        preamble_start = top[0][2]
    else:
        preamble_start = 0
    preamble = bodies.body(preamble_start, headings[0][1] if headings else len(lines))
    preamble = "\n\n".join(p for p in (lead, preamble) if p)
    roots: list[OutlineSection] = []
    stack: list[OutlineSection] = []
    numbered = False
    for k, (level, start, end, text) in enumerate(headings):
        stop = headings[k + 1][1] if k + 1 < len(headings) else len(lines)
        anchor = _ANCHOR.search(text)
        text = text[: anchor.start()] if anchor else text
        clean = _strip_number(text)
        numbered = numbered or clean != text
        section = OutlineSection(
            clean or text,
            doc.source_line(start),
            level,
            bodies.body(end, stop),
            anchor=anchor.group(1) if anchor else None,
        )
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].sections if stack else roots).append(section)
        stack.append(section)
    if numbered:
        notes.append(
            Note(
                doc.source_line(headings[0][1]),
                "section numbers in the headings left out: policyforge numbers sections by their order",
            )
        )
    for label, count in bodies.cited.items():
        if count > 1:
            line = doc.source_line(bodies.footnotes[label][0])
            notes.append(
                Note(line, f"footnote [^{label}] is cited in {count} sections: its text is repeated under each of them")
            )
    return Outline(title, title_line, preamble, roots, notes)

"""Markdown as policy text accepts it: raw HTML converted, headings inside lists or quotes made bold.

Policy text refuses raw HTML (unless a project allows it) and headings inside body text, so an
imported Markdown document is rewritten first: an HTML block becomes Markdown through the HTML
importer, inline tags become their Markdown (``<br>``, ``<b>``, ``<i>``, ``<a href>``) or are
removed with their text kept, and a heading nested in a list or quote becomes bold text. Each
rewrite keeps the source line of every line and is reported.
"""

from __future__ import annotations

import re

from ..source.markdown_text import parse
from .html_to_md import html_to_markdown
from .notes import STRUCK, Converted, Note

__all__ = ["clean_markdown"]

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARK = {"b": "**", "strong": "**", "i": "*", "em": "*"}


def _inline_tags(line: str, number: int, notes: list[Note]) -> str:
    """One line with its inline HTML tags rewritten as Markdown (or removed, text kept)."""
    if "<!--" in line:
        notes.append(Note(number, "HTML comment left out (readers never see it)"))
        line = _COMMENT.sub("", line)

    def tag(match: re.Match[str]) -> str:
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name == "br":
            return "\\\n"
        if name in _MARK:
            return _MARK[name]
        if name == "a":
            if closing:
                return "\x00/a\x00"
            href = _HREF.search(attrs or "")
            target = next((g for g in href.groups() if g is not None), "") if href else ""
            return f"\x00a {target}\x00"
        notes.append(Note(number, f"inline HTML <{closing}{name}> removed, its text kept"))
        return ""

    out = _TAG.sub(tag, line)
    out = re.sub(
        r"\x00a ([^\x00]*)\x00(.*?)\x00/a\x00",
        lambda m: f"[{m.group(2)}]({m.group(1).replace('(', '%28').replace(')', '%29')})" if m.group(1) else m.group(2),
        out,
    )
    return re.sub(r"\x00a [^\x00]*\x00|\x00/a\x00", "", out)


def clean_markdown(doc: Converted) -> Converted:
    """``doc`` with raw HTML and nested headings rewritten; the notes of the rewrites added."""
    lines = doc.markdown.split("\n")
    where = [doc.source_line(i) for i in range(len(lines))]
    notes = list(doc.notes)
    edits: list[tuple[int, int, list[str], list[int]]] = []  # replace lines[a:b] by new (with their sources)
    tokens = parse(doc.markdown)
    taken: set[int] = set()
    for tok in tokens:
        if tok.map is None or taken & set(range(*tok.map)):
            continue
        start, end = tok.map
        if tok.type == "inline" and re.search(r"~~\S", tok.content):
            notes.append(Note(where[start], STRUCK))
        if tok.type == "html_block" and tok.level == 0:
            converted = html_to_markdown("\n".join(lines[start:end]))
            notes += [Note(where[start] + n.line - 1, n.message) for n in converted.notes]
            new = converted.markdown.rstrip("\n").split("\n")
            edits.append((start, end, new, [where[start] + converted.source_line(k) - 1 for k in range(len(new))]))
        elif tok.type == "html_block":
            notes.append(Note(where[start], "HTML inside a list or quote: its tags removed, its text kept"))
            new = [_TAG.sub("", _COMMENT.sub("", line)) for line in lines[start:end]]
            edits.append((start, end, new, where[start:end]))
        elif tok.type == "heading_open" and tok.level > 0:
            line = lines[start]
            notes.append(Note(where[start], "heading inside a list or quote kept as bold text"))
            new_line = re.sub(r"^(\s*(?:>\s*)*(?:[-*+]|\d+[.)])?\s*)#{1,6}\s+(.*?)\s*#*\s*$", r"\1**\2**", line)
            edits.append((start, start + 1, [new_line], [where[start]]))
        elif tok.type == "inline" and any(c.type == "html_inline" for c in tok.children or []):
            new, src = [], []
            for k in range(start, end):
                for part in _inline_tags(lines[k], where[k], notes).split("\n"):
                    new.append(part)
                    src.append(where[k])
            edits.append((start, end, new, src))
        else:
            continue
        taken.update(range(start, end))
    for start, end, new, src in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new
        where[start:end] = src
    return Converted("\n".join(lines), tuple(where), tuple(sorted(set(notes))), doc.title)

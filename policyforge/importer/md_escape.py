"""Plain text and link targets written as Markdown that reads back as exactly what was given.

Used by the HTML importer: text is escaped so nothing in it is read as Markdown or HTML, a line never
starts a block by accident, and a link's target survives parentheses, spaces and angle brackets.
"""

from __future__ import annotations

import re

from ..source.markdown_text import md_to_html, strip_tags

__all__ = ["destination", "edges", "escape", "safe_start", "shown"]

ESCAPE_RE = re.compile(r"([\\`*_\[\]|])")
ENTITY_LIKE_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text (no emphasis, links, HTML or entities)."""
    return ENTITY_LIKE_RE.sub("&amp;", ESCAPE_RE.sub(r"\\\1", text)).replace("<", "&lt;")


def safe_start(line: str) -> str:
    """Escape what would start a block (a list marker, a heading, a quote) at the start of a text line."""
    number = re.match(r"(\d{1,9})([.)])(\s|$)", line)
    if number:
        return number.group(1) + "\\" + line[len(number.group(1)) :]
    if re.match(r"(#{1,6}|[-+])(\s|$)|[>=~]|-+\s*$", line):
        return "\\" + line
    return line


def edges(inline: str) -> tuple[str, str, str]:
    """Inline Markdown split into leading spaces and line breaks, the core, and trailing ones.

    Emphasis markers and link brackets go around the core only: a line break inside them would
    end in a backslash that escapes the closing ``]`` or ``*``.
    """
    match = re.fullmatch(r"((?:\s|\\\n)*)(.*?)((?:\s|\\\n)*)", inline, re.DOTALL)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def shown(markdown: str) -> list[str]:
    """The words a reader sees of inline Markdown."""
    return strip_tags(md_to_html(markdown, inline=True)).split()


def destination(href: str) -> str:
    """A link target written so that Markdown reads it back unchanged (parentheses, spaces, angle brackets)."""
    href = href.strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return href.replace("\\", "%5C").replace("(", r"\(").replace(")", r"\)")

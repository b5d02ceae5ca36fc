"""Generated pages hand MkDocs their finished HTML instead of passing it through Markdown.

policyforge's page sources (:func:`policyforge.site.build.generate_pages`) are Markdown headings (so the
theme's table of contents and search sections see them) between blocks of finished HTML rendered by
its templates. Python-Markdown would parse every such block as raw HTML only to write it out unchanged;
on a long history that is most of the build's Markdown time. So, through MkDocs' documented page events,
``on_page_markdown`` (:meth:`PrerenderedBlocks.markdown`) keeps the headings as Markdown and puts a short
HTML comment where each finished block stands (Markdown passes comments through untouched), and
``on_page_content`` (:meth:`PrerenderedBlocks.content`) puts the blocks back where their comments are.

A block is handed over only when it is whole: it starts at a line with a block-level element, as
Python-Markdown's own raw HTML blocks do, and closes every element of that name it opens before the blank
line that ends it. A page with any other block (an element that spans a blank line, a ``<pre>`` with
blank lines) goes through Markdown whole, as before.
"""

from __future__ import annotations

import secrets

from ..errors import BuildError

__all__ = ["PrerenderedBlocks"]

# Python-Markdown's block-level elements that policyforge's templates start blocks with.
_BLOCK_TAGS = frozenset(
    {"p", "div", "aside", "table", "nav", "ul", "ol", "dl", "section", "details", "figure", "blockquote", "hr"}
    | {f"h{n}" for n in range(1, 7)}
)
_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")


def _tag_name(block: str) -> str:
    """The name of the element a block starts with (``div`` for ``<div class="x">``), or ``""``."""
    if not block.startswith("<"):
        return ""
    name = []
    for char in block[1:]:
        if not char.isalnum():
            break
        name.append(char)
    return "".join(name).lower()


def _whole(block: str) -> bool:
    """True when ``block`` is complete block-level elements, as Markdown would pass them through: it starts with
    one and closes every element it opens (every ``<`` in the text of the page's HTML is escaped)."""
    if _tag_name(block) not in _BLOCK_TAGS or not block.rstrip().endswith(">"):
        return False
    closes = block.count("</")
    opens = block.count("<") - closes - block.count("<!")
    if opens != closes:  # elements without an end tag (<br>, <img>) open nothing
        opens -= sum(block.count(f"<{name}>") + block.count(f"<{name} ") for name in _VOID)
    return opens == closes


class PrerenderedBlocks:
    """The finished HTML blocks of the pages of one build, set aside while Markdown converts the rest."""

    def __init__(self) -> None:
        self._blocks: dict[str, list[tuple[str, str]]] = {}  # page source path → (comment, block)
        self._nonce = secrets.token_hex(6)

    def markdown(self, path: str, markdown: str) -> str | None:
        """The page's Markdown with each finished block replaced by a comment; None: convert it whole."""
        chunks = markdown.split("\n\n")
        kept: list[str] = []
        blocks: list[tuple[str, str]] = []
        for chunk in chunks:
            block = chunk.strip("\n")
            if _tag_name(block) in _BLOCK_TAGS:  # anything else is Markdown (a heading, inline HTML in a paragraph)
                if not _whole(block):
                    return None  # an element spans a blank line: Markdown sees the page whole
                marker = f"<!--pf-{self._nonce}-{len(blocks)}-->"
                blocks.append((marker, block))
                kept.append(marker)
            else:
                kept.append(chunk)
        if not blocks:
            return None
        self._blocks[path] = blocks
        return "\n\n".join(kept)

    def content(self, path: str, html: str) -> str | None:
        """The page's HTML from Markdown with its finished blocks back in place; None when none were set aside."""
        blocks = self._blocks.pop(path, None)
        if blocks is None:
            return None
        parts: list[str] = []
        rest = html
        for marker, block in blocks:
            before, found, rest = rest.partition(marker)
            if not found:  # a Markdown extension dropped the comment: nothing can be put back in its place
                raise BuildError(f"{path}: a Markdown extension removed a part of the generated page")
            parts += [before, block]
        parts.append(rest)
        return "".join(parts)

"""What a reader sees: the words of a section, each with its link target and its place in the layout.

The diff compares this, never the Markdown source: list markers, emphasis markers, autolink
brackets and link URLs are not words, so they cannot show up in a redline nor cause spurious
changes. Each word belongs to a :class:`Block` (a paragraph, a list item, a table cell); a block
knows its :class:`Frame` path (``ul > li > ol > li``, ``table > tbody > tr``) so the redline can
rebuild lists and tables instead of running them together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from .markdown_text import md_to_html, parse, strip_tags
from .model import Section, Table, TermItem

__all__ = ["Block", "Counter", "Frame", "Word", "markdown_blocks", "plain_inline", "section_blocks"]

_SPACE = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Frame:
    """One container a block sits in: its tag (``ul``, ``ol``, ``li``, ``table``, ``tr``...) and identity."""

    tag: str
    uid: str
    start: int | None = None  # first number of an ordered list


@dataclass(frozen=True)
class Word:
    """One word as the reader sees it; ``href`` is the link target when the word is link text."""

    text: str
    href: str | None
    block: Block


@dataclass(frozen=True, eq=False)
class Block:
    """A run of text in one element: ``p`` (paragraph), ``th``/``td`` (cell).

    A ``bare`` paragraph is written straight into its innermost frame (a tight list item).
    """

    leaf: str
    frames: tuple[Frame, ...]
    uid: str
    bare: bool = False


class Counter:
    """Unique ids for frames and blocks: ``b1``, ``b2``... (a prefix keeps the two versions apart)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.next = itertools.count(1)

    def __call__(self) -> str:
        return f"{self.prefix}{next(self.next)}"


def plain_inline(markdown: str) -> str:
    """Inline Markdown (a title) as the plain text a reader sees."""
    return " ".join(strip_tags(md_to_html(markdown, inline=True)).split())


def _inline_words(tok: Token, block: Block) -> Iterator[Word]:
    """Words of an ``inline`` token; pieces with no space between them form one word."""
    pieces: list[tuple[str, str | None]] = []
    hrefs: list[str | None] = [None]
    for child in tok.children or []:
        if child.type == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close":
            hrefs.pop()
        elif child.type in ("text", "code_inline"):
            pieces.append((child.content, hrefs[-1]))
        elif child.type == "image":
            pieces.append((child.content or "", hrefs[-1]))
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append((" ", None))
        elif child.type == "footnote_ref":
            pieces.append((f"[{int(child.meta['id']) + 1}]", None))
    word, href = "", None
    for text, link in pieces:
        for part in _SPACE.split(text):
            if part and not part.isspace():
                word, href = word + part, href or link
            elif part and word:
                yield Word(word, href, block)
                word, href = "", None
    if word:
        yield Word(word, href, block)


def markdown_blocks(text: str | None, frames: tuple[Frame, ...], uid: Counter, *, item: bool = False) -> list[Word]:
    """The words of a Markdown body, each in its block under ``frames``.

    ``item``: the text is a list item of its own, so a lone paragraph in it is bare (a tight item).
    """
    if not text:
        return []
    tokens = parse(text)
    stack: list[Frame] = list(frames)
    words: list[Word] = []
    lone = sum(1 for t in tokens if t.type == "paragraph_open" and t.level == 0) == 1
    for i, tok in enumerate(tokens):
        if tok.type.startswith("pf_table"):  # the scrolling region around a table: not part of the text
            continue
        structural = tok.type not in ("paragraph_open", "paragraph_close") and not tok.type.startswith(("th_", "td_"))
        if tok.nesting == 1 and structural:
            start = int(tok.attrs.get("start", 1)) if tok.type == "ordered_list_open" else None
            stack.append(Frame(tok.tag or "div", uid(), start))
        elif tok.nesting == -1 and structural:
            stack.pop()
        elif tok.type == "inline":
            opener = tokens[i - 1]
            if opener.type in ("th_open", "td_open"):
                block = Block(opener.tag, tuple(stack), uid())
            else:
                bare = opener.hidden or (item and lone and opener.level == 0)
                block = Block("p", tuple(stack), uid(), bare)
            words += _inline_words(tok, block)
    return words


def _table_words(table: Table, frames: tuple[Frame, ...], uid: Counter) -> list[Word]:
    table_frames = (*frames, Frame("table", uid()))
    words: list[Word] = []
    for header, rows in ((True, (table.columns,)), (False, table.rows)):
        group = (*table_frames, Frame("thead" if header else "tbody", uid()))
        for row in rows:
            tr = (*group, Frame("tr", uid()))
            for cell in row:
                block = Block("th" if header else "td", tr, uid())
                for tok in parse(cell):
                    if tok.type == "inline":
                        words += _inline_words(tok, block)
    return words


def section_blocks(section: Section, prefix: str = "b") -> list[Word]:
    """Every word of a section's body (text, list, table, after) in reading order, with its block.

    Cached (words and blocks are immutable): a history's releases repeat most of their sections, and each
    release is diffed with its neighbours and with the current one.
    """
    return list(_section_blocks(section, prefix))


@lru_cache(maxsize=8192)
def _section_blocks(section: Section, prefix: str) -> tuple[Word, ...]:
    uid = Counter(prefix)
    words = markdown_blocks(section.text, (), uid)
    if section.items:
        ul = Frame("ul", uid())
        for item in section.items:
            li = (ul, Frame("li", uid()))
            if isinstance(item, TermItem):
                body = markdown_blocks(item.text, li, uid, item=True)
                first = body[0].block if body and body[0].block.bare else Block("p", li, uid(), bare=True)
                words += [Word(w, None, first) for w in plain_inline(item.term + ":").split()]
                words += body
            else:
                words += markdown_blocks(item, li, uid, item=True)
    if section.table is not None:
        words += _table_words(section.table, (), uid)
    words += markdown_blocks(section.after, (), uid)
    return tuple(words)

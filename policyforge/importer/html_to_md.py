"""HTML → policy Markdown (CommonMark + GitHub tables), with the source line of every Markdown line.

Headings, paragraphs, nested lists, tables, links, emphasis, code, block quotes and line breaks
carry over. Everything else keeps its text and is reported as a :class:`Note` (superscripts,
strike-through, definition lists, merged table cells...); what has no text a policy can show
(images, scripts, forms, embedded media) is left out and reported too. Text is escaped so that
nothing in it is read as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .html_dom import Element, Text, parse_html
from .html_table import Row, pipe_table
from .md_escape import destination as _destination
from .md_escape import edges as _edges
from .md_escape import escape as _escape
from .md_escape import safe_start as _safe_start
from .md_escape import shown as _shown
from .notes import STRUCK, Converted, Note

__all__ = ["html_to_markdown"]

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
        "#root",
    }
)
_DROPPED = {
    "script": "a script",
    "style": "a style sheet",
    "noscript": "a <noscript> block",
    "template": "a template",
    "iframe": "an embedded frame",
    "object": "an embedded object",
    "embed": "an embedded object",
    "video": "a video",
    "audio": "an audio clip",
    "canvas": "a canvas",
    "svg": "an SVG drawing",
    "select": "a form field",
    "textarea": "a form field",
    "input": "a form field",
    "math": "a formula",
}
_KEPT_AS_TEXT = {"sup": "superscript", "sub": "subscript", "u": "underline", "ins": "underline", "mark": "highlight"}
_STRUCK_TAGS = frozenset({"s", "strike", "del"})
_HEADING = re.compile(r"^h([1-6])$")


@dataclass
class _Block:
    """Markdown lines, each with its source line; ``kind`` is ``p``, ``ul``, ``ol``, ``table``..."""

    lines: list[tuple[str, int]]
    kind: str = "p"


@dataclass
class _Renderer:
    notes: list[Note] = field(default_factory=list)

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    # --- inline ----------------------------------------------------------------------------

    def inline(self, nodes: list[Element | Text], *, strong: bool = False, em: bool = False, link: bool = False) -> str:
        out = ""
        for node in nodes:
            if isinstance(node, Text):
                out += _escape(re.sub(r"\s+", " ", node.data))
            else:
                out += self._inline_element(node, strong=strong, em=em, link=link)
        return out

    def _inline_element(self, el: Element, *, strong: bool, em: bool, link: bool) -> str:
        tag = el.tag
        if tag in _DROPPED:
            self.note(el.line, f"{_DROPPED[tag]} <{tag}> has no text a policy can show: left out")
            return ""
        if tag == "br":
            return "\\\n"
        if tag == "img":
            alt = el.attrs.get("alt", "").strip()
            what = f" (alt text {alt!r})" if alt else ""
            self.note(el.line, f"image {el.attrs.get('src', '')!r}{what} left out: policy text holds no images")
            return ""
        if tag in ("strong", "b") or (tag == "span" and "bold" in el.attrs.get("style", "")):
            return self._wrap("**", el, strong=True, em=em, link=link, skip=strong)
        if tag in ("em", "i", "cite", "dfn", "var"):
            return self._wrap("*", el, strong=strong, em=True, link=link, skip=em)
        if tag in ("code", "kbd", "samp", "tt"):
            code = re.sub(r"\s+", " ", el.text())
            if not code.strip():
                return code
            fence = "``" if "`" in code else "`"
            return f"{fence}{' ' if fence == '``' else ''}{code}{' ' if fence == '``' else ''}{fence}"
        if tag == "a":
            return self._link(el, strong=strong, em=em, link=link)
        if tag in _STRUCK_TAGS:
            inner = self.inline(el.children, strong=strong, em=em, link=link)
            if not inner.strip():
                return inner
            self.note(el.line, STRUCK)
            return f"~~{inner.strip()}~~"
        if tag in _KEPT_AS_TEXT:
            self.note(el.line, f"{_KEPT_AS_TEXT[tag]} <{tag}> kept as plain text")
        if tag == "q":
            return "“" + self.inline(el.children, strong=strong, em=em, link=link) + "”"
        if tag in ("button", "label", "option"):
            self.note(el.line, f"form control <{tag}> kept as plain text")
        return self.inline(el.children, strong=strong, em=em, link=link)

    def _wrap(self, mark: str, el: Element, *, strong: bool, em: bool, link: bool, skip: bool) -> str:
        inner = self.inline(el.children, strong=strong, em=em, link=link)
        lead, core, trail = _edges(inner)
        if skip or not core:
            return inner
        return f"{lead}{mark}{core}{mark}{trail}"

    def _link(self, el: Element, *, strong: bool, em: bool, link: bool) -> str:
        inner = self.inline(el.children, strong=strong, em=em, link=True)
        href = el.attrs.get("href", "").strip()
        if link or not href:
            return inner
        if re.match(r"(?i)\s*(javascript|data|vbscript):", href):
            self.note(el.line, f"link target {href[:40]!r} is not allowed in a policy: the link text is kept")
            return inner
        lead, core, trail = _edges(inner)
        if not core:
            self.note(el.line, f"link to {href!r} has no text a reader could see: left out")
            return inner
        return f"{lead}[{core}]({_destination(href)}){trail}"

    def checked(self, nodes: list[Element | Text], line: int) -> str:
        """Inline Markdown of ``nodes`` that reads back as the same words.

        CommonMark opens and closes emphasis only next to certain characters (``a**\\***`` is no
        emphasis); where the markers would show as text, the run is written without emphasis.
        """
        marked = self.inline(nodes)
        if "*" not in marked.replace("\\*", ""):
            return marked
        plain = self.inline(nodes, strong=True, em=True)
        if _shown(marked) != _shown(plain):
            self.note(line, "emphasis that Markdown cannot express next to this punctuation: kept as plain text")
            return plain
        return marked

    # --- blocks ------------------------------------------------------------------------------

    def paragraph(self, markdown: str, line: int, kind: str = "p") -> list[_Block]:
        # a line break before the end of the paragraph (also one left by a closing tag) shows nothing
        text = re.sub(r"(\\\n\s*)+", "\\\n", markdown)
        text = re.sub(r"^\s*(\\\n\s*)+|(\\\n\s*)+$", "", text).strip()
        if not text:
            return []
        lines = [_safe_start(part.strip()) for part in text.split("\n")]
        return [_Block([(part, line) for part in lines], kind)]

    def container(self, el: Element, *, nested: bool = False) -> list[_Block]:
        """The blocks of an element's children: inline runs become paragraphs."""
        out: list[_Block] = []
        run: list[Element | Text] = []

        def flush() -> None:
            if run:
                line = run[0].line
                out.extend(self.paragraph(self.checked(run, line), line))
                run.clear()

        for child in el.children:
            if isinstance(child, Text) or child.tag not in _BLOCKS:
                run.append(child)
                continue
            flush()
            blocks = self.block(child, nested=nested)
            if blocks and out and blocks[0].kind in ("ul", "ol") and out[-1].kind == blocks[0].kind:
                blocks = self.block(child, nested=nested, alternate=True)  # else the two lists merge
            out.extend(blocks)
        flush()
        return out

    def block(self, el: Element, *, nested: bool, alternate: bool = False) -> list[_Block]:
        tag = el.tag
        heading = _HEADING.match(tag)
        if heading:
            text = self.inline(el.children).replace("\\\n", " ")
            if nested:
                self.note(el.line, f"heading <{tag}> inside a list, quote or table kept as bold text")
                return self.paragraph(f"**{text.strip()}**", el.line)
            text = re.sub(r"(^|\s)(#+)$", r"\1\\\2", " ".join(text.split()))  # not a closing sequence
            return [_Block([("#" * int(heading.group(1)) + " " + text, el.line)], "h")]
        if tag in ("ul", "ol"):
            return self.list_block(el, ordered=tag == "ol", alternate=alternate)
        if tag == "table":
            return self.table(el)
        if tag == "blockquote":
            inner = self.join(self.container(el, nested=True))
            return [_Block([(("> " + text).rstrip(), line) for text, line in inner], "quote")] if inner else []
        if tag == "pre":
            code = el.text().strip("\n")
            fence = "````" if "```" in code else "```"
            body = [(text, el.line + i) for i, text in enumerate(code.split("\n"))]
            return [_Block([(fence, el.line), *body, (fence, el.line)], "code")]
        if tag == "hr":
            return [_Block([("---", el.line)], "hr")]
        if tag == "nav" or el.attrs.get("role") == "navigation":
            words = len(el.text().split())
            if words:
                self.note(el.line, f"site navigation <{tag}> left out ({words} word(s))")
            return []
        if tag == "head":
            for child in el.children:
                if isinstance(child, Element) and child.tag == "title" and child.text().strip():
                    self.note(
                        child.line,
                        f"document title {child.text().strip()!r} (in <head>) not carried over; pass --title to use it",
                    )
            return []
        if tag == "dl":
            self.note(el.line, "definition list: terms kept as bold paragraphs, definitions as paragraphs")
        if tag == "dt":
            return self.paragraph(f"**{self.inline(el.children).strip()}**", el.line)
        if tag in ("form", "fieldset", "details"):
            self.note(el.line, f"<{tag}> kept as plain paragraphs")
        return self.container(el, nested=nested)

    def list_block(self, el: Element, *, ordered: bool, alternate: bool) -> list[_Block]:
        start = int(el.attrs["start"]) if ordered and el.attrs.get("start", "").isdigit() else 1
        lines: list[tuple[str, int]] = []
        number = start
        for child in el.children:
            if isinstance(child, Text):
                if child.data.strip():
                    self.note(child.line, "text directly inside a list (outside any item) kept as an item")
                    lines += self._item(Element("li", {}, child.line, [child]), ordered, number, alternate)
                    number += 1
                continue
            if child.tag != "li":
                child = Element("li", {}, child.line, [child])
            lines += self._item(child, ordered, number, alternate)
            number += 1
        return [_Block(lines, "ol" if ordered else "ul")] if lines else []

    def _item(self, li: Element, ordered: bool, number: int, alternate: bool) -> list[tuple[str, int]]:
        marker = f"{number}{')' if alternate else '.'}" if ordered else ("*" if alternate else "-")
        blocks = self.container(li, nested=True)
        body: list[tuple[str, int]] = []
        for i, blk in enumerate(blocks):
            first = blk.lines[0][0] if blk.lines else ""
            tight = blk.kind == "ul" or (blk.kind == "ol" and re.match(r"1[.)]\s", first) is not None)
            if i and not tight:
                body.append(("", blk.lines[0][1]))
            body += blk.lines
        if not body:
            return [(marker, li.line)]
        pad = " " * (len(marker) + 1)
        return [(marker + " " + body[0][0], body[0][1])] + [((pad + t) if t else "", n) for t, n in body[1:]]

    def table(self, el: Element) -> list[_Block]:
        caption: list[_Block] = []
        rows: list[Row] = []

        def walk(node: Element, header: bool) -> None:
            for child in node.children:
                if not isinstance(child, Element):
                    continue
                if child.tag == "caption":
                    caption.extend(self.paragraph(self.inline(child.children), child.line))
                elif child.tag in ("thead", "tbody", "tfoot"):
                    walk(child, child.tag == "thead")
                elif child.tag == "tr":
                    rows.append(self._row(child, header))

        walk(el, False)
        lines = pipe_table(rows, el.line, self.note)
        return caption + ([_Block(lines, "table")] if lines else [])

    def _row(self, tr: Element, header: bool) -> Row:
        cells: list[str] = []
        all_th = True
        for cell in tr.children:
            if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
                continue
            all_th = all_th and cell.tag == "th"
            parts: list[str] = []
            for blk in self.container(cell, nested=True):
                if blk.kind in ("ul", "ol", "quote", "code", "table"):
                    self.note(cell.line, "a list, quote or table inside a table cell kept as plain text in the cell")
                for line, _ in blk.lines:
                    line = re.sub(r"^(?:[-*]|\d+[.)]|>)\s+", "", line.strip())
                    if (len(line) - len(line.rstrip("\\"))) % 2:  # an odd backslash at the end: a line break
                        self.note(cell.line, "line break inside a table cell became a space")
                        line = line[:-1]
                    parts.append(line)
            text = " ".join(parts)
            cells.append(" ".join(text.split()))
            span = int(cell.attrs["colspan"]) if cell.attrs.get("colspan", "").isdigit() else 1
            if span > 1:
                self.note(cell.line, f"a cell spanning {span} columns is followed by {span - 1} empty cell(s)")
                cells += [""] * (span - 1)
            if cell.attrs.get("rowspan", "1") not in ("", "1"):
                self.note(cell.line, "a cell spanning several rows is shown in its first row only")
        return Row(cells, header or (all_th and bool(cells)), tr.line)

    @staticmethod
    def join(blocks: list[_Block]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for blk in blocks:
            if out:
                out.append(("", blk.lines[0][1]))
            out += blk.lines
        return out


def _find(node: Element, match: Callable[[Element], bool]) -> list[Element]:
    found = [node] if match(node) else []
    for child in node.children:
        if isinstance(child, Element):
            found += _find(child, match)
    return found


def _visible_words(node: Element | Text) -> int:
    if isinstance(node, Text):
        return len(node.data.split())
    if node.tag in ("head", "script", "style", "template", "noscript"):
        return 0
    return sum(_visible_words(c) for c in node.children)


def _main_part(root: Element, renderer: _Renderer) -> Element:
    """The page's ``<main>`` (or its one ``<article>``) when it has one: a saved web page's navigation,
    header and footer are not part of the policy. The words left out are counted in a note."""
    mains = _find(root, lambda e: e.tag == "main" or e.attrs.get("role") == "main")
    if not mains:
        articles = _find(root, lambda e: e.tag == "article")
        mains = articles if len(articles) == 1 else []
    if len(mains) != 1:
        return root
    main = mains[0]
    outside = _visible_words(root) - _visible_words(main)
    if outside > 0:
        renderer.note(
            main.line,
            f"only the page's <{main.tag}> was imported: {outside} word(s) outside it "
            "(site navigation, header, footer) left out",
        )
    return main


def html_to_markdown(text: str) -> Converted:
    """Markdown of an HTML document (or fragment), the source line of each Markdown line, and notes."""
    root, comments = parse_html(text)
    renderer = _Renderer()
    for line in comments:
        renderer.note(line, "HTML comment left out (readers never see it)")
    lines = renderer.join(renderer.container(_main_part(root, renderer)))
    notes = tuple(sorted(set(renderer.notes)))
    return Converted("\n".join(t for t, _ in lines) + "\n", tuple(n for _, n in lines), notes)

"""HTML → a small element tree with source lines, parsed by the standard library's ``html.parser``.

The tree is forgiving the way browsers are for the common cases: void elements, a ``<p>``,
``<li>``, ``<tr>`` or cell that is closed implicitly by the next one, and end tags without a
start tag. Character references are decoded by the parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Element", "Text", "parse_html"]

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# An opening tag closes the open elements listed for it, up to (not past) the stoppers.
_CLOSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "p": (frozenset({"p"}), frozenset({"div", "li", "td", "th", "blockquote", "section", "article", "body"})),
    "li": (frozenset({"li", "p"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th", "p"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th", "p"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th", "p"}), frozenset({"tr", "table"})),
}
_BLOCK_CLOSES_P = frozenset(
    {
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "blockquote",
        "pre",
        "hr",
        "dl",
        "section",
        "article",
        "figure",
        "address",
    }
)


@dataclass
class Text:
    """A run of character data at a source line."""

    data: str
    line: int


@dataclass
class Element:
    """An element with its attributes, children and the source line of its start tag."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element | Text] = field(default_factory=list)

    def text(self) -> str:
        """All character data inside, as one string."""
        return "".join(c.data if isinstance(c, Text) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, 1)
        self.stack: list[Element] = [self.root]
        self.comments: list[int] = []

    def _close_implied(self, tag: str) -> None:
        closes, stops = _CLOSES.get(
            tag,
            (
                frozenset({"p"}) if tag in _BLOCK_CLOSES_P else frozenset(),
                frozenset({"div", "li", "td", "th", "blockquote", "body"}),
            ),
        )
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name in stops:
                return
            if name in closes:
                del self.stack[i:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Text(data, self.getpos()[0]))

    def handle_comment(self, data: str) -> None:
        if data.strip():
            self.comments.append(self.getpos()[0])


def parse_html(text: str) -> tuple[Element, list[int]]:
    """The element tree of ``text`` and the lines of its (non-empty) comments."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root, builder.comments

"""Policy Markdown → HTML, safely, as CommonMark with GitHub's table extension renders it.

The engine is markdown-it-py (a CommonMark-compliant parser) with its GFM table rule and the
footnote plugin, so nested lists indented by 2 or 4 spaces, a list right after a paragraph
line, ordered lists starting at any number, backslash hard line breaks and pipe tables come
out as CommonMark says. Raw HTML has already been refused by validation unless the project
allows it. On top of that, link and image URLs are limited to http(s), mailto and relative
targets (others stay plain text), and plain e-mail addresses become ``mailto:`` links. A link to a
section with no text of its own, ``[](#sharing)``, reads as that section's current number ("section 4",
given by the caller in ``refs``), so a reference never names an old number.

Every result then passes an allow-list sanitiser (:data:`SANITIZER`, nh3), with
``allow_html: true`` too: ``<script>``, ``<style>``, frames, forms, SVG, event handlers,
``style`` attributes, comments and URLs other than http(s), mailto and relative ones never
reach a page. ``class``, ``id`` and the table region's attributes are kept only with the values
this module itself produces (table wrapper, column alignment, footnotes, code language), so raw
HTML cannot restyle the page or clobber the theme's element ids.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "EMAIL_IN_TEXT",
    "SANITIZER",
    "escape_md_line",
    "heading_html",
    "md_to_html",
    "parse",
    "safe_url",
    "strip_tags",
]

# A match starts only where a run of address characters starts (the lookbehind): the leftmost match is
# always there anyway, and without it a long run with no "@" in it is searched in quadratic time.
EMAIL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|doc:|#|/|\.{0,2}/|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)


def safe_url(url: str) -> bool:
    """True for http(s), mailto, ``doc:`` (another document), in-page and relative URLs.

    False for ``javascript:``, ``data:`` and the like.
    """
    compact = re.sub(r"[\s\x00-\x1f]", "", html.unescape(url))
    return bool(_SAFE_URL.match(compact))


def _link_emails(state: StateCore) -> None:
    """Turn e-mail addresses in plain text (not in links or code) into ``mailto:`` links."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        depth = 0
        for tok in block.children:
            depth += tok.type == "link_open"
            depth -= tok.type == "link_close"
            if tok.type != "text" or depth or not EMAIL_IN_TEXT.search(tok.content):
                out.append(tok)
                continue
            pos = 0
            for match in EMAIL_IN_TEXT.finditer(tok.content):
                if match.start() > pos:
                    out.append(_text(tok.content[pos : match.start()]))
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": f"mailto:{match.group(0)}"}
                out += [opening, _text(match.group(0)), Token("link_close", "a", -1)]
                pos = match.end()
            if pos < len(tok.content):
                out.append(_text(tok.content[pos:]))
        block.children = out


def _section_refs(state: StateCore) -> None:
    """Give an empty link to a section (``[](#sharing)``) the text ``refs`` holds for it ("section 4")."""
    refs = state.env.get("section_refs") if isinstance(state.env, dict) else None
    if not refs:
        return
    for block in state.tokens:
        children = block.children or []
        out: list[Token] = []
        for i, tok in enumerate(children):
            out.append(tok)
            href = str(tok.attrs.get("href", "")) if tok.type == "link_open" else ""
            following = children[i + 1] if i + 1 < len(children) else None
            if href[1:] in refs and href.startswith("#") and following is not None and following.type == "link_close":
                out.append(_text(refs[href[1:]]))
        if block.children is not None:
            block.children = out


def _resolve_site_relative(state: StateCore) -> None:
    """With a ``link_base`` (``https://example.com``), ``/docs/x.pdf`` links point to that origin."""
    base = state.env.get("link_base") if isinstance(state.env, dict) else None
    if not base:
        return
    for block in state.tokens:
        for tok in block.children or ():
            attr = "href" if tok.type == "link_open" else "src" if tok.type == "image" else None
            value = str(tok.attrs.get(attr, "")) if attr else ""
            if attr and value.startswith("/") and not value.startswith("//"):
                tok.attrs[attr] = base.rstrip("/") + value


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok


def _wrap_tables(state: StateCore) -> None:
    """Tables scroll sideways inside a focusable region on narrow screens (and never clip in print)."""
    out: list[Token] = []
    for tok in state.tokens:
        if tok.type == "table_open":
            region = Token("pf_table_open", "div", 1)
            region.attrs = {"class": "pf-table", "role": "region", "aria-label": "Table", "tabindex": "0"}
            out.append(region)
        out.append(tok)
        if tok.type == "table_close":
            out.append(Token("pf_table_close", "div", -1))
    state.tokens = out


def _render_cell_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """Column alignment as a class, not a ``style`` attribute (the site's CSP allows no inline styles)."""
    tok = tokens[idx]
    style = str(tok.attrs.pop("style", ""))
    align = style.removeprefix("text-align:")
    if align in ("left", "center", "right"):
        tok.attrs["class"] = f"pf-align-{align}"
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=1)
def _engine() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    md.validateLink = safe_url  # type: ignore[method-assign]
    md.core.ruler.push("pf_link_emails", _link_emails)
    md.core.ruler.push("pf_section_refs", _section_refs)
    md.core.ruler.push("pf_link_base", _resolve_site_relative)
    md.core.ruler.push("pf_wrap_tables", _wrap_tables)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    return md


#: Elements a policy's text may contain: what the Markdown engine produces, plus the plain structure
#: and phrasing elements an editor may write as raw HTML when ``allow_html`` is on.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
#: Attributes kept, per element (``*``: on every element); ``class``, ``id``, ``role`` and
#: ``tabindex`` further limited to this module's own values by :func:`_attribute_value`.
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir", "class"},
    "a": {"href", "hreflang", "id"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value", "id"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "details": {"open"},
    "div": {"role", "aria-label", "tabindex"},
}
_OWN_CLASSES = {
    "div": {"pf-table"},
    "th": {"pf-align-left", "pf-align-center", "pf-align-right"},
    "td": {"pf-align-left", "pf-align-center", "pf-align-right"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "li": {"footnote-item"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
}
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?[\w:-]*")


def _attribute_value(tag: str, attr: str, value: str) -> str | None:
    """Keep ``class``/``id``/``role``/``tabindex`` only with the values the Markdown engine itself writes."""
    if attr == "class":
        own = _OWN_CLASSES.get(tag, set())
        kept = [c for c in value.split() if c in own or (tag == "code" and re.fullmatch(r"language-[\w+-]+", c))]
        return " ".join(kept) or None
    if attr == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if attr == "role":
        return value if value == "region" else None
    if attr == "tabindex":
        return value if value == "0" else None
    return value


#: The allow-list sanitiser every rendered Markdown text goes through (nh3, i.e. ammonia).
SANITIZER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_value,
    url_schemes={"http", "https", "mailto", "doc"},
    link_rel=None,
    strip_comments=True,
    clean_content_tags={"script", "style"},
)


def parse(text: str, *, link_base: str | None = None) -> list[Token]:
    """The markdown-it block token stream of ``text`` (control characters removed).

    Loading and linting read the same texts: the streams are cached (callers only read them), so a
    1 MB policy is parsed once and checked in under a second (``make bench``).
    """
    return list(_parse_cached(text, link_base))


@lru_cache(maxsize=32768)
def _parse_cached(text: str, link_base: str | None) -> tuple[Token, ...]:
    return tuple(_engine().parse(_CONTROL.sub("", text), {"link_base": link_base} if link_base else {}))


def md_to_html(
    text: str,
    *,
    inline: bool = False,
    doc_id: str | None = None,
    link_base: str | None = None,
    refs: Mapping[str, str] | None = None,
) -> str:
    """Render Markdown to one line of HTML; ``inline`` drops the wrapping paragraph.

    ``refs`` (section id → "section 4") is the text of an empty link to a section (``[](#id)``).
    ``doc_id`` keeps footnote ids unique on a page that renders several texts (``fn-<doc_id>-1``).
    Newlines are removed (inside ``<pre>`` they become ``&#10;``), so the result can be embedded
    in page Markdown as one HTML block. ``link_base`` resolves site-relative links (``/docs/x``)
    against another origin, for a document imported from another site.

    Results are cached: a history's releases repeat most of their texts, which every page and diff renders.
    """
    # the references matter only to a text that links into the page: other texts share one cache entry
    shown = tuple(sorted(refs.items())) if refs and "](#" in text else ()
    return _md_to_html_cached(text, inline, doc_id, link_base, shown)


@lru_cache(maxsize=32768)
def _md_to_html_cached(
    text: str, inline: bool, doc_id: str | None, link_base: str | None, refs: tuple[tuple[str, str], ...]
) -> str:
    env: dict[str, object] = {"docId": doc_id} if doc_id else {}
    if link_base:
        env["link_base"] = link_base
    if refs:
        env["section_refs"] = dict(refs)
    out = SANITIZER.clean(_engine().render(_CONTROL.sub("", text), env)).strip()
    out = _PRE.sub(lambda m: m.group(0).replace("\n", "&#10;"), out).replace("\n", " ")
    out = re.sub(r"\s*(<(?:/?(?:p|ul|ol|li|table|thead|tbody|tr|th|td|section|hr|blockquote)\b[^>]*)>)\s*", r"\1", out)
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


_HEADING_SPECIAL = re.compile(r"[\\`*_\[\]{}#]")


def heading_html(text: str, *, link_base: str | None = None) -> str:
    """Inline Markdown (a section title) as sanitised HTML that a Markdown heading line keeps as is.

    The site generator reads each heading as Markdown a second time: characters it would act on
    (``*``, ``_``, backticks, brackets, braces, ``#``, backslashes) are written as character
    references in the text between tags, so only this renderer's markup takes effect.
    """
    rendered = md_to_html(text, inline=True, link_base=link_base)
    parts = re.split(r"(<[^>]*>)", rendered)
    return "".join(
        part if part.startswith("<") else _HEADING_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", part) for part in parts
    )


def strip_tags(fragment: str) -> str:
    """Plain text of an HTML fragment (for the text rendering and feeds)."""
    text = re.sub(r"<[^>]+>", "", fragment)
    return html.unescape(text)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def escape_md_line(text: str) -> str:
    """Escape plain text for a Markdown heading so nothing in it is interpreted."""
    text = _CONTROL.sub("", text).replace("\n", " ")
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)

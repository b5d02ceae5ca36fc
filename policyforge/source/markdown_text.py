"""Policy Markdown → HTML, safely.

Raw HTML has already been refused by validation unless the project allows it. On top of
that, link and image URLs are limited to http(s), mailto and relative targets, and plain
e-mail addresses become ``mailto:`` links.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

__all__ = ["EMAIL_IN_TEXT", "escape_md_line", "md_to_html", "strip_tags"]

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|/|\.{0,2}/|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _safe_url(url: str) -> bool:
    compact = re.sub(r"[\s\x00-\x1f]", "", html.unescape(url))
    return bool(_SAFE_URL.match(compact))


class _SanitizeLinks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not _safe_url(value):
                    del el.attrib[attr]
            self._link_emails(el)

    def _link_emails(self, el: ET.Element) -> None:
        if el.tag in ("a", "code", "pre"):
            el.tail = self._split(el, el.tail, tail=True)
            return
        el.text = self._split(el, el.text, tail=False)
        for child in list(el):
            if child.tag in ("a", "code", "pre"):
                child.tail = self._split(child, child.tail, tail=True, parent=el)

    def _split(self, el: ET.Element, text: str | None, tail: bool, parent: ET.Element | None = None) -> str | None:
        if not text or not EMAIL_IN_TEXT.search(text):
            return text
        parts = EMAIL_IN_TEXT.split(text)
        emails = EMAIL_IN_TEXT.findall(text)
        container = parent if tail else el
        if container is None:
            return text
        index = (list(container).index(el) + 1) if tail else 0
        for email, after in zip(emails, parts[1:], strict=True):
            link = ET.Element("a", {"href": f"mailto:{email}"})
            link.text = email
            link.tail = after
            container.insert(index, link)
            index += 1
        return parts[0]


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SanitizeLinks(md), "pf_sanitize", 1)


def md_to_html(text: str, *, inline: bool = False) -> str:
    """Render Markdown to one line of HTML; ``inline`` drops the wrapping paragraph."""
    md = markdown.Markdown(extensions=[_SafeExtension()], output_format="html")
    out = md.convert(_CONTROL.sub("", text)).replace("\n", " ").strip()
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


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

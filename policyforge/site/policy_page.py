"""Render a policy: as page Markdown for the site, and as plain text.

Headings are Markdown (so the site's table of contents and search see them) with every
character escaped; bodies are rendered from the templates ``policy/*`` (sanitised Markdown
embedded as one-line HTML blocks), so nothing from YAML is interpreted by the site generator
a second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..source.durations import format_duration
from ..source.markdown_text import md_to_html, strip_tags
from ..source.model import Policy, TermItem
from ..source.numbering import numbered_sections
from ..source.reader_text import plain_inline
from .templating import Markup, format_date, render, section_refs

__all__ = [
    "SEARCH_ARCHIVE",
    "SEARCH_CURRENT",
    "SEARCH_EXCLUDE",
    "format_date",
    "meta_html",
    "page_markdown",
    "policy_title",
    "render_text",
]


def policy_title(policy: Policy) -> str:
    """``Privacy Policy — GPT Image 2``: the title of the document."""
    return f"{policy.title} — {policy.product}"


def meta_html(policy: Policy, links: Markup | None = None) -> Markup:
    """The "Effective Date / Last Updated" line, with optional links (HTML) after the dates."""
    return render("policy/meta.html", policy=policy, links=links or "")


# The site search (Material's front matter): the policy in effect ranks first; archived versions,
# change pages and the draft are left out, or with the `search_archive` option ranked last.
SEARCH_CURRENT = "boost: 2"
SEARCH_ARCHIVE = "boost: 0.5"
SEARCH_EXCLUDE = "exclude: true"


def page_markdown(
    template: str, title: str, heading: str | None = None, *, search: str | None = None, **context: object
) -> str:
    """A generated page: front matter with ``title`` (and ``search``, the page's place in the site
    search: :data:`SEARCH_CURRENT`, :data:`SEARCH_ARCHIVE`, :data:`SEARCH_EXCLUDE`), the h1
    (``heading`` or ``title``), then the body of ``template`` (which extends ``page.md``)."""
    return render(template, title=title, heading=heading or title, search=search or "", **context)


def body_context(
    policy: Policy,
    *,
    meta_html: Markup | None = None,
    heading_level: int = 2,
    notes: Mapping[str, Any] | None = None,
    page_notes: Sequence[Any] = (),
    document_lang: Any = None,
) -> dict[str, Any]:
    """What ``policy/body.md`` needs, for templates that include it.

    ``notes`` (section id or ``category:ID`` → :class:`~.translation_notes.PartNote`) and ``page_notes`` are a
    translated page's notices (:func:`~.translation_notes.shown_text`); ``document_lang`` marks the document's own
    texts (quick reference, preamble, closing) as the original's language when they are not translated."""
    sections = [(min(heading_level + ns.depth - 1, 6), ns) for ns in numbered_sections(policy.sections)]
    return {
        "policy": policy,
        "sections": sections,
        "meta": meta_html or "",
        "notes": notes or {},
        "page_notes": page_notes,
        "document_lang": document_lang,
    }


def render_text(policy: Policy, lang: str = "en") -> str:
    """The policy as plain text, in the layout of the original policy document (references to sections by id
    read as their numbers, a cookie's duration written as a period in words of ``lang``)."""
    refs = section_refs(policy)

    def plain(markdown: str, inline: bool = False) -> str:
        return strip_tags(md_to_html(markdown, inline=inline, refs=refs))

    out = [
        policy_title(policy),
        f"Effective Date: {format_date(policy.effective)}",
        f"Last Updated: {format_date(policy.updated)}",
    ]
    if policy.quick_reference:
        out.append("Quick Reference")
        out += [f"- {plain(q, inline=True)}" for q in policy.quick_reference]
    if policy.preamble:
        out.append(plain(policy.preamble))
    for ns in numbered_sections(policy.sections):
        sec = ns.section
        out.append(f"{ns.label} {plain_inline(sec.title)}")
        if sec.text:
            out.append(plain(sec.text))
        for item in sec.items:
            if isinstance(item, TermItem):
                out.append(f"- {item.term}: {plain(item.text, inline=True)}")
            else:
                out.append(f"- {plain(item, inline=True)}")
        if sec.table is not None:
            out += ([sec.table.caption] if sec.table.caption else []) + [" | ".join(sec.table.columns)]
            out += [" | ".join(plain(cell, inline=True) for cell in row) for row in sec.table.rows]
        if sec.include == "consent-categories":
            for cat in policy.categories:
                out.append(f"- {cat.title}: {plain(cat.description, inline=True)}")
                out += [
                    f"  - {c.name} ({c.provider}): {c.purpose}; {format_duration(c.duration, lang)}"
                    for c in cat.cookies
                ]
        if sec.after:
            out.append(plain(sec.after))
    if policy.closing:
        out.append(plain(policy.closing))
    return "\n".join(out) + "\n"

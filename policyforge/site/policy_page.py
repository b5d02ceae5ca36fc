"""Render a policy: as page Markdown for the site, and as plain text.

Headings are Markdown (so the site's table of contents and search see them) with every
character escaped; bodies are rendered by :mod:`markdown_safe` and embedded as one-line
HTML blocks, so nothing from YAML is interpreted by the site generator a second time.
"""

from __future__ import annotations

import datetime as dt
import html
import json

from ..source.markdown_text import escape_md_line, md_to_html, strip_tags
from ..source.model import ConsentCategory, Policy, Section, TermItem
from ..source.numbering import numbered_sections

__all__ = [
    "SEARCH_ARCHIVE",
    "SEARCH_CURRENT",
    "SEARCH_EXCLUDE",
    "category_html",
    "format_date",
    "meta_html",
    "page_head",
    "policy_body_markdown",
    "policy_title",
    "render_text",
    "section_body_html",
]


def policy_title(policy: Policy) -> str:
    """``Privacy Policy — GPT Image 2``: the title of the document."""
    return f"{policy.title} — {policy.product}"


def meta_html(policy: Policy, links: str = "") -> str:
    """The "Effective Date / Last Updated" line, with optional links after the dates."""
    def when(day: dt.date | None) -> str:
        return f'<time datetime="{day or ""}">{html.escape(format_date(day))}</time>'

    return (f'<p class="pf-meta"><span>Effective Date: {when(policy.effective)}</span><br>'
            f"<span>Last Updated: {when(policy.updated)}</span>{links}</p>")


def page_head(title: str, heading: str | None = None, *, search: str | None = None) -> str:
    """Front matter and h1 of a generated page.

    MkDocs themes print page titles into the navigation without escaping them, so the
    front-matter title is HTML-escaped here; the h1 is escaped for Markdown. ``search`` is the
    page's place in the site search (:data:`SEARCH_CURRENT`, :data:`SEARCH_ARCHIVE`,
    :data:`SEARCH_EXCLUDE`), as the theme's ``search:`` front matter.
    """
    quoted = json.dumps(html.escape(title, quote=True), ensure_ascii=False)
    front = f"title: {quoted}\n" + (f"search:\n  {search}\n" if search else "")
    return f"---\n{front}---\n\n# {escape_md_line(heading or title)}\n\n"


# The site search (Material's front matter): the policy in effect ranks first; archived versions,
# change pages and the draft are left out, or with the `search_archive` option ranked last.
SEARCH_CURRENT = "boost: 2"
SEARCH_ARCHIVE = "boost: 0.5"
SEARCH_EXCLUDE = "exclude: true"


def format_date(value: dt.date | None) -> str:
    """``2025-03-01`` → ``March 1, 2025``."""
    if value is None:
        return "not yet in effect"
    return f"{value:%B} {value.day}, {value.year}"


def _item_html(item: TermItem | str) -> str:
    if isinstance(item, TermItem):
        return f"<li><strong>{html.escape(item.term)}:</strong> {md_to_html(item.text, inline=True)}</li>"
    return f"<li>{md_to_html(item, inline=True)}</li>"


def category_html(category: ConsentCategory) -> str:
    """One consent category as a list item, with its cookie table when it declares cookies."""
    esc = html.escape
    attrs = (f' id="pf-cat-{esc(category.id)}" data-category="{esc(category.id)}"'
             f' data-required="{str(category.required).lower()}"')
    out = (f"<li{attrs}><strong class=\"pf-cat-title\">{esc(category.title)}:</strong> "
           f"<span class=\"pf-cat-desc\">{md_to_html(category.description, inline=True)}</span>")
    if category.cookies:
        rows = "".join(
            f"<tr data-cookie=\"{esc(c.name)}\"><td><code>{esc(c.name)}</code></td><td>{esc(c.provider)}</td>"
            f"<td>{esc(c.purpose)}</td><td>{esc(c.duration)}</td></tr>"
            for c in category.cookies
        )
        out += (f"<table class=\"pf-cookies\"><caption>{esc(category.title)}</caption><thead><tr><th>Cookie</th>"
                f"<th>Provider</th><th>Purpose</th><th>Duration</th></tr></thead><tbody>{rows}</tbody></table>")
    return out + "</li>"


def section_body_html(section: Section, policy: Policy) -> str:
    """The body of one section (without heading or subsections) as one line of HTML."""
    parts: list[str] = []
    if section.text:
        parts.append(md_to_html(section.text))
    if section.items:
        parts.append("<ul>" + "".join(_item_html(i) for i in section.items) + "</ul>")
    if section.include == "consent-categories":
        parts.append('<ul class="pf-categories">' + "".join(category_html(c) for c in policy.consent.categories)
                     + "</ul>")
    if section.after:
        parts.append(md_to_html(section.after))
    return "".join(parts)


def policy_body_markdown(policy: Policy, *, meta_html: str = "", heading_level: int = 2) -> str:
    """The policy as page Markdown: quick reference, numbered sections, closing paragraph."""
    esc = html.escape
    lines: list[str] = []
    if meta_html:
        lines += [meta_html, ""]
    if policy.quick_reference:
        items = "".join(f"<li>{md_to_html(q, inline=True)}</li>" for q in policy.quick_reference)
        lines += [f'<aside class="pf-quickref" aria-label="Quick Reference"><p class="pf-quickref-title">'
                  f'Quick Reference</p><ul>{items}</ul></aside>', ""]
    if policy.preamble:
        lines += [f'<div class="pf-preamble">{md_to_html(policy.preamble, doc_id="preamble")}</div>', ""]
    for ns in numbered_sections(policy.sections):
        hashes = "#" * min(heading_level + ns.depth - 1, 6)
        title = escape_md_line(ns.section.title)
        lines += [f'{hashes} <span class="pf-num">{esc(ns.label)}</span> {title} {{#{ns.section.id}}}', ""]
        body = section_body_html(ns.section, policy)
        if body:
            lines += [f'<div class="pf-body" data-section="{esc(ns.section.id)}">{body}</div>', ""]
    if policy.closing:
        lines += [f'<div class="pf-closing">{md_to_html(policy.closing)}</div>', ""]
    return "\n".join(lines)


def render_text(policy: Policy) -> str:
    """The policy as plain text, in the layout of the original policy document."""
    out = [policy_title(policy), f"Effective Date: {format_date(policy.effective)}",
           f"Last Updated: {format_date(policy.updated)}"]
    if policy.quick_reference:
        out.append("Quick Reference")
        out += [f"- {strip_tags(md_to_html(q, inline=True))}" for q in policy.quick_reference]
    if policy.preamble:
        out.append(strip_tags(md_to_html(policy.preamble)))
    for ns in numbered_sections(policy.sections):
        sec = ns.section
        out.append(f"{ns.label} {sec.title}")
        if sec.text:
            out.append(strip_tags(md_to_html(sec.text)))
        for item in sec.items:
            if isinstance(item, TermItem):
                out.append(f"- {item.term}: {strip_tags(md_to_html(item.text, inline=True))}")
            else:
                out.append(f"- {strip_tags(md_to_html(item, inline=True))}")
        if sec.include == "consent-categories":
            for cat in policy.consent.categories:
                out.append(f"- {cat.title}: {strip_tags(md_to_html(cat.description, inline=True))}")
                out += [f"  - {c.name} ({c.provider}): {c.purpose}; {c.duration}" for c in cat.cookies]
        if sec.after:
            out.append(strip_tags(md_to_html(sec.after)))
    if policy.closing:
        out.append(strip_tags(md_to_html(policy.closing)))
    return "\n".join(out) + "\n"

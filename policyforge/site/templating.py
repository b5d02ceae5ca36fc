"""The Jinja2 environment behind every page and fragment policyforge generates.

Templates live in ``policyforge/site/templates/`` and are rendered with autoescape on: every
value from the YAML is escaped exactly once, by the template. Filters that return HTML or
Markdown mark their result safe themselves:

``md`` / ``md_inline``
    policy Markdown → sanitised HTML (:func:`~policyforge.source.markdown_text.md_to_html`); an empty link
    to a section (``[](#sharing)``) reads "section 4", the number it has in the policy being rendered
    (the ``policy`` of the :func:`render` call, :func:`section_refs`) in the page's language;
``md_title``
    a section title (inline Markdown) → sanitised HTML for a Markdown heading line;
``md_line``
    plain text → a Markdown line with nothing interpreted (headings);
``front_matter``
    a page title → a quoted YAML scalar (the theme prints it unescaped, so it is HTML-escaped first);
``date``
    ``2025-03-01`` → ``March 1, 2025`` (``1. März 2025`` on a German page).

The global ``url(here, target)`` is the relative URL between two site paths; ``t(key, **values)`` is the
page's own text ``key`` in the page's language (:mod:`policyforge.site.strings`), escaped, with
``values`` (escaped unless already HTML) filled in; ``page_lang()`` is that language and ``original_lang()``
the original's when the page is a translation's (else ``""``). For the facts (``policy/facts.html``):
``duration(value)`` (an ISO 8601 period in the page's language), ``owed_rights(policy)``,
``fact_label(kind, key)`` (a fideslang key's name: the translation file's, else fideslang's English one),
``country_name(code)`` (in the page's language), ``third_country(code, jurisdictions)``, ``basis_keys`` and
``safeguard_keys`` (their strings' keys), ``basis_points`` (each basis's point of Art. 6(1)).
"""

from __future__ import annotations

import contextvars
import functools
import html
import json
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..source.facts import LEGAL_BASES, is_third_country
from ..source.markdown_text import escape_md_line, heading_html, md_to_html
from ..source.model import Policy, record_cookie_names
from ..source.numbering import numbered_sections
from .fact_tables import BASIS_KEYS, SAFEGUARD_KEYS, format_duration, is_period, owed_rights
from .strings import country_name, current_language, fact_label, format_date, original_language, text, text_direction
from .urls import changes_path, relative_url, since_path, text_path

__all__ = ["Markup", "environment", "format_date", "render", "section_refs"]

# section id → "section 4", for the policy of the render() in progress
_REFS: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("pf_section_refs", default=None)


def section_refs(policy: Policy) -> dict[str, str]:
    """Section id → how a reference to it reads in the page's language ("section 2.1")."""
    return {ns.section.id: text("section_ref", number=ns.number) for ns in numbered_sections(policy.sections)}


def _t(key: str, **values: Any) -> Markup:
    template = Markup.escape(text(key))
    return template.format(**values) if values else template


def _duration(value: str) -> str:
    return format_duration(value, current_language())


def _md(text: str, doc_id: str | None = None, link_base: str | None = None) -> Markup:
    # sanitised by md_to_html (nh3 allow-list)
    return Markup(md_to_html(text, doc_id=doc_id, link_base=link_base, refs=_REFS.get()))


def _md_inline(text: str, link_base: str | None = None) -> Markup:
    return Markup(md_to_html(text, inline=True, link_base=link_base, refs=_REFS.get()))


def _md_title(text: str, link_base: str | None = None) -> Markup:
    return Markup(heading_html(text, link_base=link_base))  # sanitised, Markdown characters as references


def _md_line(text: str) -> Markup:
    return Markup(escape_md_line(text))


def _front_matter(title: str) -> Markup:
    return Markup(json.dumps(html.escape(title, quote=True), ensure_ascii=False))


@functools.cache
def environment() -> Environment:
    """The one template environment (autoescape on, undefined names are errors)."""
    env = Environment(
        loader=PackageLoader("policyforge.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        md=_md, md_inline=_md_inline, md_title=_md_title, md_line=_md_line, front_matter=_front_matter, date=format_date
    )
    env.globals.update(
        url=relative_url,
        text_path=text_path,
        changes_path=changes_path,
        since_path=since_path,
        t=_t,
        original_lang=original_language,
        page_lang=current_language,
        direction=text_direction,
        duration=_duration,
        is_period=is_period,
        record_cookie_names=record_cookie_names,
        owed_rights=owed_rights,
        third_country=is_third_country,
        fact_label=fact_label,
        country_name=country_name,
        basis_keys=BASIS_KEYS,
        basis_points=LEGAL_BASES,
        safeguard_keys=SAFEGUARD_KEYS,
    )
    return env


def render(name: str, **context: Any) -> Markup:
    """Render the template ``name`` (a path under ``templates/``) with ``context``; a ``policy`` in it gives
    references to its sections their numbers."""
    policy = context.get("policy")
    if not isinstance(policy, Policy):
        return Markup(environment().get_template(name).render(**context))
    token = _REFS.set(section_refs(policy))
    try:
        return Markup(environment().get_template(name).render(**context))
    finally:
        _REFS.reset(token)

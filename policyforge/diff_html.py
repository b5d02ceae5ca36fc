"""The HTML redline of a :class:`~policyforge.diff.PolicyDiff`.

Inserted words are ``<ins>``, deleted words ``<del>``; each starts with visually hidden text
(``added:`` / ``removed:``, class ``pf-sr``) so screen readers announce the change. Long
unchanged runs inside a changed section are shortened to their ends; unchanged sections are
listed, collapsed, in a ``<details>`` element. Every string is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from .diff import ItemChange, PolicyDiff, SectionChange, WordOp, plural

__all__ = ["diff_html", "redline_html"]

_CONTEXT = 15
_LABELS = {"added": "Added", "removed": "Removed", "moved": "Moved", "renamed": "Renamed",
           "changed": "Changed"}
Href = Callable[[str], str | None]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _ins(text: str) -> str:
    return f'<ins><span class="pf-sr">added: </span>{_esc(text)}</ins>'


def _del(text: str) -> str:
    return f'<del><span class="pf-sr">removed: </span>{_esc(text)}</del>'


def _equal(words: tuple[str, ...], first: bool, last: bool) -> str:
    if len(words) <= 2 * _CONTEXT + 8:
        return _esc(" ".join(words))
    head = "" if first else _esc(" ".join(words[:_CONTEXT])) + " "
    tail = "" if last else " " + _esc(" ".join(words[-_CONTEXT:]))
    hidden = len(words) - (0 if first else _CONTEXT) - (0 if last else _CONTEXT)
    return f'{head}<span class="pf-elided" title="{hidden} unchanged words">…</span>{tail}'


def redline_html(ops: tuple[WordOp, ...]) -> str:
    """Word-level redline of one section's body."""
    parts: list[str] = []
    for i, op in enumerate(ops):
        if op.kind == "insert":
            parts.append(_ins(op.text))
        elif op.kind == "delete":
            parts.append(_del(op.text))
        else:
            parts.append(_equal(op.words, i == 0, i == len(ops) - 1))
    return " ".join(parts)


def _item_html(item: ItemChange) -> str:
    label = f"{item.subject} {item.name}" if item.subject != item.name else item.subject
    text = f"{label}: {item.detail}" if item.detail else label
    body = _ins(text) if item.kind == "added" else _del(text) if item.kind == "removed" else _esc(text)
    tag = f'<span class="pf-tag pf-tag-{item.kind}">{item.kind}</span>'
    return f'<li class="pf-item-{item.kind}">{tag} {body}</li>'


def _heading(change: SectionChange, new_href: Href, old_href: Href) -> str:
    label = f"{change.number} {change.title}".strip()
    link = new_href if change.new is not None else old_href
    href = None if change.id.startswith("@") else link(change.id)
    inner = f'<a href="{_esc(href)}">{_esc(label)}</a>' if href else _esc(label)
    return f"<h3>{inner}</h3>"


def _section_html(change: SectionChange, new_href: Href, old_href: Href) -> str:
    kinds = " ".join(change.kinds)
    tags = "".join(f'<span class="pf-tag pf-tag-{k}">{_LABELS[k]}</span>' for k in change.kinds)
    notes: list[str] = []
    if change.renamed and change.old is not None and change.new is not None:
        notes.append(f"Renamed from {_del(change.old.title)} to {_ins(change.new.title)}.")
    if change.moved and change.old is not None and change.new is not None:
        notes.append(f"Moved from section {_esc(change.old.number.rstrip('.'))} to section "
                     f"{_esc(change.new.number.rstrip('.'))}.")
    if change.added:
        notes.append("New section.")
    if change.removed:
        notes.append("This section was removed.")
    if change.note:
        notes.append(_esc(change.note[:1].upper() + change.note[1:]) + ".")
    out = [f'<section class="pf-diff-section" id="diff-{_esc(change.id.lstrip("@"))}" '
           f'data-section="{_esc(change.id)}" data-change="{kinds}">', _heading(change, new_href, old_href),
           f'<p class="pf-diff-tags">{tags}</p>']
    out += [f'<p class="pf-diff-note">{note}</p>' for note in notes]
    if any(op.kind != "equal" for op in change.ops):
        out.append(f'<p class="pf-redline">{redline_html(change.ops)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _no_link(section_id: str) -> str | None:
    return None


def diff_html(d: PolicyDiff, *, new_href: Href = _no_link, old_href: Href = _no_link,
              heading: str = "What changed") -> str:
    """The whole diff as one HTML block (no blank lines, so Markdown leaves it alone)."""
    relevant = "true" if d.consent_relevant else "false"
    out = [f'<div class="pf-diff" data-consent-relevant="{relevant}">',
           f'<h2 id="pf-what-changed">{_esc(heading)}</h2>',
           f'<p class="pf-diff-summary">{_esc(d.summary())}</p>']
    if d.consent_relevant:
        out.append('<p class="pf-badge pf-badge-consent"><strong>Consent-relevant.</strong> '
                   "This version changes the cookies or the consent choices, so visitors are asked for "
                   "their consent again.</p>")
    if d.consent or d.document:
        out.append('<h3 id="pf-consent-changes">Cookie, consent and document changes</h3>')
        out.append('<ul class="pf-diff-items">' + "".join(_item_html(i) for i in (*d.document, *d.consent))
                   + "</ul>")
    out += [_section_html(c, new_href, old_href) for c in d.sections]
    if d.unchanged:
        rows = "".join(f"<li>{_esc(f'{number} {title}'.strip())}</li>" for _, number, title in d.unchanged)
        out.append(f'<details class="pf-unchanged"><summary>{plural(len(d.unchanged), "section")} unchanged'
                   f"</summary><ul>{rows}</ul></details>")
    out.append("</div>")
    return "\n".join(out)

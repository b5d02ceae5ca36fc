"""The HTML redline of a :class:`~policyforge.diff.PolicyDiff`.

Inserted words are ``<ins>``, deleted words ``<del>``; each starts with visually hidden text
(``added:`` / ``removed:``, class ``pf-sr``) so screen readers announce the change. Long
unchanged runs inside a changed section are shortened to their ends; unchanged sections are
listed, collapsed, in a ``<details>`` element. Every string is HTML-escaped (:func:`esc`, also
used by the history pages). Every ``<h3>`` has a unique ``id`` starting with ``diff-``, so the
site search lists each changed section under its own title.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..history.diff import ItemChange, PolicyDiff, SectionChange, WordOp, elide, plural

__all__ = ["Href", "diff_html", "esc", "redline_html"]

_CONTEXT = 15
_LABELS = {"added": "Added", "removed": "Removed", "moved": "Moved", "renamed": "Renamed",
           "changed": "Changed"}
Href = Callable[[str], str | None]


def esc(text: str) -> str:
    """``text`` escaped for HTML element content and quoted attribute values."""
    return html.escape(text, quote=True)


def _ins(text: str) -> str:
    return f'<ins><span class="pf-sr">added: </span>{esc(text)}</ins>'


def _del(text: str) -> str:
    return f'<del><span class="pf-sr">removed: </span>{esc(text)}</del>'


def _equal(words: tuple[str, ...], first: bool, last: bool) -> str:
    head, hidden, tail = elide(words, first=first, last=last, context=_CONTEXT)
    if not hidden:
        return esc(" ".join(words))
    gap = f'<span class="pf-elided" title="{hidden} unchanged words">…</span>'
    return " ".join(part for part in (esc(" ".join(head)), gap, esc(" ".join(tail))) if part)


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
    text = f"{item.label}: {item.detail}" if item.detail else item.label
    body = _ins(text) if item.kind == "added" else _del(text) if item.kind == "removed" else esc(text)
    tag = f'<span class="pf-tag pf-tag-{item.kind}">{item.kind}</span>'
    return f'<li class="pf-item-{item.kind}">{tag} {body}</li>'


class _Ids:
    """Unique heading ids within one diff: ``diff-usage``, then ``diff-usage-2`` on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = f"diff-{name.lstrip('@')}"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _heading(change: SectionChange, new_href: Href, old_href: Href, heading_id: str) -> str:
    label = f"{change.number} {change.title}".strip()
    link = new_href if change.new is not None else old_href
    href = None if change.id.startswith("@") else link(change.id)
    inner = f'<a href="{esc(href)}">{esc(label)}</a>' if href else esc(label)
    return f'<h3 id="{esc(heading_id)}">{inner}</h3>'


def _section_html(change: SectionChange, new_href: Href, old_href: Href, heading_id: str) -> str:
    kinds = " ".join(change.kinds)
    tags = "".join(f'<span class="pf-tag pf-tag-{k}">{_LABELS[k]}</span>' for k in change.kinds)
    notes: list[str] = []
    if change.renamed and change.old is not None and change.new is not None:
        notes.append(f"Renamed from {_del(change.old.title)} to {_ins(change.new.title)}.")
    if change.moved and change.old is not None and change.new is not None:
        notes.append(f"Moved from section {esc(change.old.number.rstrip('.'))} to section "
                     f"{esc(change.new.number.rstrip('.'))}.")
    if change.added:
        notes.append("New section.")
    if change.removed:
        notes.append("This section was removed.")
    if change.note:
        notes.append(esc(change.note[:1].upper() + change.note[1:]) + ".")
    out = [f'<section class="pf-diff-section" data-section="{esc(change.id)}" data-change="{kinds}">',
           _heading(change, new_href, old_href, heading_id),
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
           f'<h2 id="pf-what-changed">{esc(heading)}</h2>',
           f'<p class="pf-diff-summary">{esc(d.summary())}</p>']
    if d.consent_relevant:
        out.append('<p class="pf-badge pf-badge-consent"><strong>Consent-relevant.</strong> '
                   "This version changes the cookies or the consent choices, so visitors are asked for "
                   "their consent again.</p>")
    ids = _Ids()
    if d.consent or d.document:
        out.append(f'<h3 id="{ids("consent")}">Cookie, consent and document changes</h3>')
        out.append('<ul class="pf-diff-items">' + "".join(_item_html(i) for i in (*d.document, *d.consent))
                   + "</ul>")
    out += [_section_html(c, new_href, old_href, ids(c.id)) for c in d.sections]
    if d.unchanged:
        rows = "".join(f"<li>{esc(f'{number} {title}'.strip())}</li>" for _, number, title in d.unchanged)
        out.append(f'<details class="pf-unchanged"><summary>{plural(len(d.unchanged), "section")} unchanged'
                   f"</summary><ul>{rows}</ul></details>")
    out.append("</div>")
    return "\n".join(out)

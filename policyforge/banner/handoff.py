"""The hand-off note of a release: what the product team must know about the consent banner.

``policyforge release`` prints it and writes it next to the version as
``versions/DATE.handoff.md`` (not part of the locked history: it is derived, and can be
printed again with ``policyforge versions --handoff DATE``). It names, by id (the word used
in ``data-consent``), the consent categories and cookies that were added, removed or
changed; says whether and from which day visitors are asked again; and gives the snippet of
the hashed ``consent.<hash>.js`` to use from that day, or says that the stable
``consent.js`` follows on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..history.releases import History, Release
from ..source.model import ConsentCategory, Cookie, Policy
from ..source.options import ProjectOptions
from . import assemble as widget
from .config import embed_snippet, site_banner

__all__ = ["CategoryChange", "category_changes", "handoff_note", "snippet"]

_COOKIE_FIELDS = ("provider", "purpose", "duration", "domain", "path")


@dataclass(frozen=True)
class CategoryChange:
    """How one consent category (by id) differs between two versions."""

    id: str
    kind: str  # "added", "removed" or "changed"
    title: str
    cookies_added: tuple[str, ...] = ()
    cookies_removed: tuple[str, ...] = ()
    cookies_changed: tuple[str, ...] = ()  # "`name` (duration 1 year → 2 years)"
    details: tuple[str, ...] = ()  # other changed fields: "title", "required", ...


def _cookie_change(old: Cookie, new: Cookie) -> str | None:
    fields = [
        f"{f} {getattr(old, f) or '(none)'} → {getattr(new, f) or '(none)'}"
        for f in _COOKIE_FIELDS
        if getattr(old, f) != getattr(new, f)
    ]
    return f"`{new.name}` ({'; '.join(fields)})" if fields else None


def _compare(old: ConsentCategory, new: ConsentCategory) -> CategoryChange | None:
    before = {c.name: c for c in old.cookies}
    after = {c.name: c for c in new.cookies}
    changed = tuple(
        text for name in after if name in before if (text := _cookie_change(before[name], after[name])) is not None
    )
    details = tuple(f for f in ("title", "description", "required", "gcm") if getattr(old, f) != getattr(new, f))
    change = CategoryChange(
        new.id,
        "changed",
        new.title,
        cookies_added=tuple(n for n in after if n not in before),
        cookies_removed=tuple(n for n in before if n not in after),
        cookies_changed=changed,
        details=details,
    )
    if change.cookies_added or change.cookies_removed or changed or details:
        return change
    return None


def category_changes(old: Policy | None, new: Policy) -> list[CategoryChange]:
    """Categories added, removed or changed from ``old`` to ``new`` (all added when ``old`` is None)."""
    before = {c.id: c for c in old.categories} if old is not None else {}
    after = {c.id: c for c in new.categories}
    out: list[CategoryChange] = []
    for cid, cat in after.items():
        if cid not in before:
            out.append(CategoryChange(cid, "added", cat.title, cookies_added=tuple(c.name for c in cat.cookies)))
        elif (change := _compare(before[cid], cat)) is not None:
            out.append(change)
    out += [
        CategoryChange(cid, "removed", cat.title, cookies_removed=tuple(c.name for c in cat.cookies))
        for cid, cat in before.items()
        if cid not in after
    ]
    return out


def snippet(options: ProjectOptions, history: History, rel: Release) -> tuple[str, str]:
    """The hashed banner file name of ``rel`` and the ``<script>`` tag that embeds it."""
    _, script = site_banner(options, rel.policy, rel.date, with_changes=True, sha256=rel.sha256, history=history)
    name = f"consent.{widget.content_hash(script)}.js"
    return name, embed_snippet(options.url("consent/" + name), script)


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year} ({day.isoformat()})"


def _ids(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _category_lines(changes: list[CategoryChange]) -> list[str]:
    if not changes:
        return ["No consent category and no cookie was added, removed or changed."]
    lines: list[str] = []
    for c in changes:
        if c.kind == "added":
            cookies = f" with the cookies {_ids(c.cookies_added)}" if c.cookies_added else " (no cookies declared)"
            lines.append(
                f"- **Added** category `{c.id}` ({c.title}){cookies}. Tag the scripts and frames "
                f'that set them with `data-consent="{c.id}"`.'
            )
        elif c.kind == "removed":
            lines.append(
                f'- **Removed** category `{c.id}` ({c.title}): remove `data-consent="{c.id}"` and the '
                "scripts it gated, or they stay blocked for everyone."
            )
        else:
            parts = [
                f"cookies added: {_ids(c.cookies_added)}" if c.cookies_added else "",
                f"cookies removed: {_ids(c.cookies_removed)}" if c.cookies_removed else "",
                f"cookies changed: {', '.join(c.cookies_changed)}" if c.cookies_changed else "",
                f"changed: {', '.join(c.details)}" if c.details else "",
            ]
            lines.append(f"- **Changed** category `{c.id}` ({c.title}): {'; '.join(p for p in parts if p)}.")
    return lines


def handoff_note(options: ProjectOptions, history: History, rel: Release) -> str:
    """The Markdown hand-off note of ``rel`` for the product team."""
    before = history.neighbours(rel)[0]
    when = _day(rel.effective)
    lines = [
        f"# Hand-off: privacy policy version {rel.date}",
        "",
        f"Released on {_day(rel.published_on)}; takes effect on {when}.",
        "",
        f"> {rel.summary}",
        "",
        "## Consent categories and cookies (by id, as used in `data-consent`)",
        "",
        *_category_lines(category_changes(before.policy if before else None, rel.policy)),
        "",
        "## Are visitors asked again?",
        "",
    ]
    if before is None:
        lines.append(f"This is the first release: every visitor is asked from {when}.")
    elif rel.consent_relevant:
        lines.append(
            f"**Yes, from {when}.** The consent revision changes from `{before.consent_revision}` to "
            f"`{rel.consent_revision}`: every visitor who chose before is shown the banner again, "
            "with a link to what changed."
        )
    else:
        lines.append(
            f"No. The consent revision stays `{rel.consent_revision}`: choices made before {when} remain valid."
        )
    name, tag = snippet(options, history, rel)
    lines += [
        "",
        "## The banner in your product",
        "",
        f"- **Stable `consent.js`** ({options.url('consent/consent.js')}): follows automatically. The first "
        f"site build on or after {when} serves this version's banner under that name; nothing to do.",
        f"- **Pinned `consent.<hash>.js`**: a pinned file never changes, so it keeps showing the previous "
        f"banner and cookie list. From {when}, swap your snippet for:",
        "",
        "  ```html",
        f"  {tag}",
        "  ```",
        "",
        f"  `{name}` is published ahead of that date: every site build from now on already contains it, "
        "so you can prepare the swap; switch on the effective date, not before. (If policyforge itself "
        f"is upgraded before then, print this note again with `policyforge versions --handoff {rel.date}`.)",
        "",
    ]
    return "\n".join(lines)

"""The hand-off note of a release: what the product team must do about the consent banner, if anything.

``policyforge release`` prints it and writes it next to the version as
``versions/DATE.handoff.md`` (not part of the locked history: it is derived, and can be
printed again with ``policyforge versions --handoff DATE``). Its first line says whether the
product team must act (:func:`banner_action`): nothing when the release's pinned banner file is
byte-identical to the previous release's (the banner's identity, docs/embedding.md), an optional
snippet swap when only the banner's text changed and not the consent revision, and the exact steps
when the revision changed: swap the snippet on the effective date, and gate the script that sets
each new cookie with its ``data-consent`` attribute, never one a server sets (``set_by: server``).
It names, by id, the consent categories and cookies that were added, removed or changed, and says
whether and from which day visitors are asked again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..history.diff_items import consent_changes
from ..history.releases import History, Release
from ..source.durations import duration_meaning
from ..source.model import ConsentCategory, Cookie, Policy
from ..source.options import ProjectOptions
from . import assemble as widget
from .config import release_banner, release_banner_config
from .failsafe import Embedding, embed_snippet
from .regions import region_modes

__all__ = [
    "EMBEDDING_GUIDE",
    "CategoryChange",
    "banner_action",
    "category_changes",
    "embedding_guide",
    "handoff_note",
    "snippet",
]

#: The embedding guide where a project's site does not publish it: the file in policyforge's repository.
EMBEDDING_GUIDE = "docs/embedding.md in policyforge's repository"

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
    def value(cookie: Cookie, f: str) -> str:  # a duration by what it says: P180D is "180 days", no change
        return duration_meaning(cookie.duration) if f == "duration" else str(getattr(cookie, f))

    fields = [
        f"{f} {getattr(old, f) or '(none)'} → {getattr(new, f) or '(none)'}"
        for f in _COOKIE_FIELDS
        if value(old, f) != value(new, f)
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


def snippet(options: ProjectOptions, history: History, rel: Release) -> tuple[str, Embedding]:
    """The hashed name of ``rel``'s first stage (in the original's language) and the failure-safe snippet that
    embeds it."""
    config, files = release_banner_config(options, history, rel)
    script = files.script
    name = f"consent.{widget.content_hash(script)}.js"
    return name, embed_snippet(options.url("consent/" + name), script, config)


def banner_action(options: ProjectOptions, history: History, rel: Release) -> str:
    """What the product team must do for ``rel``: ``"required"`` (the first release, or a new consent revision:
    swap the pinned snippet on the effective date, gate new cookies), ``"optional"`` (the banner's text changed,
    not the revision: the previous pinned file keeps asking for a valid choice) or ``"none"`` (the pinned file
    is byte-identical to the previous release's)."""
    before = history.neighbours(rel)[0]
    if before is None or before.consent_revision != rel.consent_revision:
        return "required"
    same = release_banner(options, history, before) == release_banner(options, history, rel)
    return "none" if same else "optional"


def _to_gate(old: Policy | None, new: Policy) -> list[tuple[ConsentCategory, Cookie]]:
    """The cookies of ``new`` that ``old`` did not declare in the same category and that a page's script sets
    behind consent, with their category. Not those of a required category (they run whatever the visitor
    chooses, so a gate would change nothing), not the banner's own record, not those a server sets."""
    before = {(c.id, k.name) for c in old.categories for k in c.cookies} if old is not None else set()
    record = new.consent.cookie if new.consent is not None else None
    return [
        (c, k)
        for c in new.categories
        if not c.required
        for k in c.cookies
        if (c.id, k.name) not in before and k.set_by != "server" and k.name != record
    ]


def _steps(options: ProjectOptions, history: History, rel: Release, action: str) -> list[str]:
    """The numbered steps of the "What to do" section."""
    before = history.neighbours(rel)[0]
    when = _day(rel.effective)
    if action == "none":
        return [
            "Nothing. The banner is unchanged: this release's pinned banner file is byte-identical to the "
            "previous release's, so your snippet stays as it is, and the stable `consent.js` is unchanged too."
        ]
    name, _ = snippet(options, history, rel)
    if action == "optional":
        return [
            f"Nothing is required. Only the banner's text changed, not the consent revision "
            f"(`{rel.consent_revision}`): choices stay valid and the pinned file you embed keeps working. "
            f"To show the new text, swap your snippet for `{name}` (below) on or after {when}."
        ]
    steps = [f"On {when}, not before, swap your banner snippet for `{name}` (below)."]
    old = before.policy if before is not None else None
    for category, cookie in _to_gate(old, rel.policy):
        # a cookie a service sets: gated by that service (which its category's grant also runs)
        gate = next((f"{category.id}:{s.id}" for s in category.services if cookie.name in s.cookies), category.id)
        steps.append(
            f"Gate the script or frame that sets `{cookie.name}` ({cookie.provider}) with "
            f'`data-consent="{gate}"` (a script: `type="text/plain"`), on {when}, not before.'
        )
    server = [k.name for c in rel.policy.categories for k in c.cookies if k.set_by == "server"]
    if server:
        steps.append(
            f"Nothing to gate for {_ids(tuple(server))}: your server sets them, and only when the visitor's "
            "consent record grants their category."
        )
    for change in category_changes(old, rel.policy):
        if change.kind == "removed":
            steps.append(f'Remove `data-consent="{change.id}"` and the scripts it gated, on {when}.')
    for item in consent_changes(old, rel.policy) if old is not None else ():
        if item.subject == "service" and item.kind == "removed":  # its gated content would stay blocked
            steps.append(f'Remove `data-consent="{item.name}"` and the scripts and frames it gated, on {when}.')
    if _opt_out(rel.policy) and not (old is not None and _opt_out(old)):
        steps.append(
            "Write the visitor's region into the snippet's `data-region` (`US-CA`, from your CDN's country "
            'header: the embedding guide\'s "Regional rules"): the policy now has opt-out regions, and without '
            "it every visitor gets opt-in."
        )
    return [f"{i}. {step}" for i, step in enumerate(steps, start=1)]


def _opt_out(policy: Policy) -> bool:
    """The policy declares a region where optional categories are on until the visitor opts out."""
    return policy.consent is not None and bool(region_modes(policy.consent))


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


_FIRST_LINE = {
    "none": "nothing for the product team to do",
    "optional": "nothing required; a snippet swap is optional (banner text only)",
    "required": "action needed from {when}",
}


def embedding_guide(options: ProjectOptions) -> str:
    """Where the product team reads how to embed the banner: the page of the project's own site when it
    publishes policyforge's guide (an ``embedding.md`` in its ``docs_dir``, as the example does), else
    :data:`EMBEDDING_GUIDE`."""
    page = options.docs_dir / "embedding.md" if options.docs_dir is not None else None
    if options.site_url and page is not None and page.is_file():
        return options.url().removesuffix(options.prefix) + "embedding/"
    return EMBEDDING_GUIDE


def handoff_note(options: ProjectOptions, history: History, rel: Release) -> str:
    """The Markdown hand-off note of ``rel`` for the product team; its first line says whether they must act."""
    before = history.neighbours(rel)[0]
    when = _day(rel.effective)
    action = banner_action(options, history, rel)
    lines = [
        f"# Hand-off {rel.date}: {_FIRST_LINE[action].format(when=rel.effective.isoformat())}",
        "",
        f"Privacy policy version {rel.date}, released on {_day(rel.published_on)}; takes effect on {when}.",
        "",
        f"> {rel.summary}",
        "",
        "## What to do",
        "",
        *_steps(options, history, rel, action),
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
    if action != "none":
        lines += ["", *_banner_lines(options, history, rel)]
    lines += ["", f"How to embed the banner and gate scripts: the embedding guide, {embedding_guide(options)}", ""]
    return "\n".join(lines)


def _stub_news(options: ProjectOptions, history: History, rel: Release, embedding: Embedding) -> str:
    """Whether the snippet's stub (and so its CSP hash) differs from the previous release's."""
    before = history.neighbours(rel)[0]
    if before is not None and snippet(options, history, before)[1].csp[0] == embedding.csp[0]:
        return "The stub is the previous release's: only the banner's tag changes."
    return "The stub is new: replace it, and its hash in your CSP, with the banner's tag."


def _banner_lines(options: ProjectOptions, history: History, rel: Release) -> list[str]:
    """Where the stable and the pinned banner file stand, with the new snippet."""
    when = _day(rel.effective)
    name, embedding = snippet(options, history, rel)
    return [
        "## The banner in your product",
        "",
        f"- **Stable `consent.js`** ({options.url('consent/consent.js')}): follows automatically. The first "
        f"site build on or after {when} serves this version's banner under that name; nothing to do.",
        "- **Pinned `consent.HASH.js`**: a pinned file never changes, so it keeps showing the previous "
        "banner and cookie list. The snippet of this version's banner, first in the page's head (the "
        "inline consent-default stub, then the banner, `async`):",
        "",
        "  ```html",
        *(f"  {line}" for line in embedding.head.splitlines()),
        "  ```",
        "",
        f"  Your Content-Security-Policy's `script-src` allows the stub by its hash and the banner by its origin: "
        f"{' '.join(embedding.csp)}. {_stub_news(options, history, rel, embedding)}",
        "",
        f"  `{name}` is published ahead of that date: every site build from now on already contains it, "
        "so you can prepare the swap; switch on the effective date, not before. (If policyforge itself "
        f"is upgraded before then, print this note again with `policyforge versions --handoff {rel.date}`.)",
    ]

"""Changes outside the sections: consent categories, cookies, services, the consent lifetime, document fields.

Each change is data: what kind of thing changed (``subject``), which one (``name``), which of its
fields, and the values before and after, as the policy gives them. The words a reader sees around
them come from the site's strings (:mod:`policyforge.site.diff_words`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..source.durations import duration_meaning
from ..source.model import ConsentCategory, Cookie, Policy, Service

__all__ = ["CookieFacts", "ItemChange", "Subject", "consent_changes", "document_changes"]

# consent: the consent block; lifetime: the consent lifetime in days; record_cookie: the consent record cookie's
# name; category, cookie: one consent category or cookie (name: its id or name); service: a category's service
# (name: category:service); the rest: document fields
Subject = Literal[
    "consent",
    "lifetime",
    "record_cookie",
    "category",
    "cookie",
    "service",
    "title",
    "product",
    "controller",
    "email",
    "link_base",
]


@dataclass(frozen=True)
class CookieFacts:
    """A cookie as a reader sees it listed: its category's title, provider, purpose and duration."""

    category: str
    provider: str
    purpose: str
    duration: str


@dataclass(frozen=True)
class ItemChange:
    """One change outside the sections.

    ``old`` and ``new`` are the values before and after (None when added or removed): the number of
    consent categories (``consent``), days (``lifetime``), a :class:`CookieFacts` (``cookie``), a service's name,
    provider and cookies in one line (``service``), a
    category's title (``category`` added or removed; a changed category names its ``field``: title,
    description, required, gcm, with that field's values), or the text of a document field.
    """

    kind: Literal["added", "removed", "changed"]
    subject: Subject
    name: str
    old: Any = None
    new: Any = None
    field: str = ""
    required: bool = False  # an added or removed category: essential
    gcm: tuple[str, ...] = ()  # ... and its Google Consent Mode signals
    record: bool = False  # a cookie: the banner's own record cookie (``consent.cookie``)

    def to_json(self) -> dict[str, Any]:
        """The change as plain JSON data."""

        def plain(value: Any) -> Any:
            return vars(value) if isinstance(value, CookieFacts) else list(value) if isinstance(value, tuple) else value

        out: dict[str, Any] = {"kind": self.kind, "subject": self.subject, "name": self.name}
        out |= {"field": self.field} if self.field else {}
        out |= {"old": plain(self.old), "new": plain(self.new)}
        if self.subject == "category" and self.kind != "changed":
            out |= {"required": self.required, "gcm": list(self.gcm)}
        out |= {"record": True} if self.record else {}
        return out


def _facts(category: ConsentCategory, cookie: Cookie) -> CookieFacts:
    return CookieFacts(category.title, cookie.provider, cookie.purpose, cookie.duration)


def _meaning(cookie: Cookie) -> Cookie:
    """The cookie with its duration as it reads (``P180D`` and ``180 days`` are one duration: no change)."""
    return cookie.model_copy(update={"duration": duration_meaning(cookie.duration)})


def consent_changes(old: Policy, new: Policy) -> list[ItemChange]:
    """Consent categories, cookies, lifetime and record cookie: added, removed or changed."""
    out: list[ItemChange] = []
    a, b = old.consent, new.consent
    if a is None or b is None:  # a document gained or lost its consent block
        if a is not b:
            n = len(new.categories or old.categories)
            out.append(
                ItemChange("added", "consent", "consent", new=n)
                if a is None
                else ItemChange("removed", "consent", "consent", old=n)
            )
        return out
    if a.lifetime_days != b.lifetime_days:
        out.append(ItemChange("changed", "lifetime", "lifetime_days", a.lifetime_days, b.lifetime_days))
    if a.cookie != b.cookie:
        out.append(ItemChange("changed", "record_cookie", b.cookie, a.cookie, b.cookie))
    old_cats = {c.id: c for c in a.categories}
    new_cats = {c.id: c for c in b.categories}
    for cid, cat in new_cats.items():
        was = old_cats.get(cid)
        if was is None:
            out.append(ItemChange("added", "category", cid, new=cat.title, required=cat.required, gcm=tuple(cat.gcm)))
            continue
        for attr in ("title", "description", "required", "gcm"):
            before, after = getattr(was, attr), getattr(cat, attr)
            if before != after:
                if attr == "gcm":
                    before, after = tuple(before), tuple(after)
                out.append(ItemChange("changed", "category", cid, before, after, field=attr))
    out += [
        ItemChange("removed", "category", cid, old=cat.title, required=cat.required, gcm=tuple(cat.gcm))
        for cid, cat in old_cats.items()
        if cid not in new_cats
    ]
    for cid, cat in new_cats.items():
        if cid in old_cats:
            out += _service_changes(cid, old_cats[cid], cat, old, new)
    old_cookies = {k.name: (c, k) for c in a.categories for k in c.cookies}
    new_cookies = {k.name: (c, k) for c in b.categories for k in c.cookies}
    for name, (cat, cookie) in new_cookies.items():
        if name not in old_cookies:
            out.append(ItemChange("added", "cookie", name, new=_facts(cat, cookie), record=name == b.cookie))
        elif old_cookies[name][0].title != cat.title or _meaning(old_cookies[name][1]) != _meaning(cookie):
            before = _facts(*old_cookies[name])
            out.append(ItemChange("changed", "cookie", name, before, _facts(cat, cookie), record=name == b.cookie))
    out += [
        ItemChange("removed", "cookie", name, old=_facts(*pair), record=name == a.cookie)
        for name, pair in old_cookies.items()
        if name not in new_cookies
    ]
    return out


def _service_changes(
    cid: str, was: ConsentCategory, now: ConsentCategory, old: Policy, new: Policy
) -> list[ItemChange]:
    """The services of a category both versions have: added, removed or changed (by ``category:service``)."""
    before = {f"{cid}:{s.id}": _service_line(s, old) for s in was.services}
    after = {f"{cid}:{s.id}": _service_line(s, new) for s in now.services}
    out = [ItemChange("added", "service", key, new=line) for key, line in after.items() if key not in before]
    out += [
        ItemChange("changed", "service", key, before[key], line)
        for key, line in after.items()
        if key in before and before[key] != line
    ]
    return out + [ItemChange("removed", "service", key, old=line) for key, line in before.items() if key not in after]


def _service_line(service: Service, policy: Policy) -> str:
    """A service as a reader sees it listed: its name (and description), its provider and its cookies."""
    provider = next((r.name for r in policy.recipients if r.id == service.recipient), "")
    name = f"{service.name} ({service.description})" if service.description else service.name
    return "; ".join(part for part in (name, provider, ", ".join(service.cookies)) if part)


def document_changes(old: Policy, new: Policy) -> list[ItemChange]:
    """Title, product, controller, contact address and link base (``""``: none)."""
    pairs: tuple[tuple[Subject, str, str], ...] = (
        ("title", old.title, new.title),
        ("product", old.product, new.product),
        ("controller", old.controller.name, new.controller.name),
        ("email", old.controller.email, new.controller.email),
        ("link_base", old.link_base or "", new.link_base or ""),
    )
    return [ItemChange("changed", subject, subject, a, b) for subject, a, b in pairs if a != b]

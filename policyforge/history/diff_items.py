"""Changes outside the sections: consent categories, cookies, the consent lifetime, document fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..source.model import ConsentCategory, Cookie, Policy

__all__ = ["ItemChange", "consent_changes", "document_changes"]


@dataclass(frozen=True)
class ItemChange:
    """One change outside the sections: a consent category, a cookie, the lifetime, a document field."""

    kind: Literal["added", "removed", "changed"]
    subject: str
    name: str
    detail: str = ""

    @property
    def label(self) -> str:
        """``cookie _ga``, ``consent lifetime``, ``title`` (never ``title title``)."""
        return f"{self.subject} {self.name}" if self.subject != self.name else self.subject


def _cookie_line(category: ConsentCategory, cookie: Cookie) -> str:
    return f"{category.title}; {cookie.provider}; {cookie.purpose}; {cookie.duration}"


def consent_changes(old: Policy, new: Policy) -> list[ItemChange]:
    """Consent categories, cookies, lifetime and record cookie: added, removed or changed."""
    out: list[ItemChange] = []
    a, b = old.consent, new.consent
    if a is None or b is None:  # a document gained or lost its consent block
        if a is not b:
            out.append(
                ItemChange(
                    "added" if a is None else "removed",
                    "consent block",
                    "consent",
                    f"{len(new.categories or old.categories)} consent categories",
                )
            )
        return out
    if a.lifetime_days != b.lifetime_days:
        out.append(
            ItemChange(
                "changed", "consent lifetime", "lifetime_days", f"{a.lifetime_days} days → {b.lifetime_days} days"
            )
        )
    if a.cookie != b.cookie:
        out.append(ItemChange("changed", "consent record cookie", b.cookie, f"{a.cookie} → {b.cookie}"))
    old_cats = {c.id: c for c in a.categories}
    new_cats = {c.id: c for c in b.categories}
    for cid, cat in new_cats.items():
        gcm = f"; Google Consent Mode: {', '.join(cat.gcm)}" if cat.gcm else ""
        was = old_cats.get(cid)
        if was is None:
            kind = "essential" if cat.required else "optional"
            out.append(ItemChange("added", "consent category", cid, f"{cat.title} ({kind}){gcm}"))
            continue
        for attr in ("title", "description", "required", "gcm"):
            before, after = getattr(was, attr), getattr(cat, attr)
            if before != after:
                show = (lambda v: ", ".join(v) or "none") if attr == "gcm" else str
                detail = f"{attr}: {show(before)} → {show(after)}"
                out.append(ItemChange("changed", "consent category", cid, detail))
    out += [
        ItemChange("removed", "consent category", cid, cat.title)
        for cid, cat in old_cats.items()
        if cid not in new_cats
    ]
    old_cookies = {k.name: (c, k) for c in a.categories for k in c.cookies}
    new_cookies = {k.name: (c, k) for c in b.categories for k in c.cookies}
    for name, (cat, cookie) in new_cookies.items():
        if name not in old_cookies:
            out.append(ItemChange("added", "cookie", name, _cookie_line(cat, cookie)))
        elif _cookie_line(*old_cookies[name]) != _cookie_line(cat, cookie) or old_cookies[name][1] != cookie:
            out.append(
                ItemChange(
                    "changed", "cookie", name, f"{_cookie_line(*old_cookies[name])} → {_cookie_line(cat, cookie)}"
                )
            )
    out += [
        ItemChange("removed", "cookie", name, _cookie_line(*pair))
        for name, pair in old_cookies.items()
        if name not in new_cookies
    ]
    return out


def document_changes(old: Policy, new: Policy) -> list[ItemChange]:
    """Title, product, controller and contact address."""
    pairs = (
        ("title", old.title, new.title),
        ("product", old.product, new.product),
        ("controller", old.controller.name, new.controller.name),
        ("contact e-mail", old.controller.email, new.controller.email),
        ("link base", old.link_base or "none", new.link_base or "none"),
    )
    return [ItemChange("changed", subject, subject, f"{a} → {b}") for subject, a, b in pairs if a != b]

"""Changes of the facts a regulator checks: processing activities, recipients and the controller's parties.

Each change is data: which fact (``subject``: an activity, a recipient, or one of the controller's facts),
which one (``name``: its id; ``label``: its title or name as the newer side gives it), which of its fields,
and the values before and after as the policy gives them (strings, tuples of keys, or the fact's own model:
a :class:`~policyforge.source.facts.Retention`, a :class:`~policyforge.source.facts.Recipient`, a
:class:`~policyforge.source.facts.Party`). A changed retention records whether the new period is
``longer`` or ``shorter`` (``direction``; empty when the two cannot be compared), and a recipient added,
removed or moved records whether it is in a third country (``transfer``), so a later step can classify a
change as material. The sentences a reader sees come from the site's strings
(:mod:`policyforge.site.diff_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..source.facts import Recipient, Retention, is_third_country
from ..source.model import Controller, Policy

__all__ = ["ACTIVITY_FIELDS", "RECIPIENT_FIELDS", "FactChange", "FactSubject", "fact_changes", "retention_direction"]

FactSubject = Literal[
    "activity",
    "recipient",
    "dpo",
    "representative_eu",
    "representative_uk",
    "authority",
    "address",
    "country",
    "jurisdictions",
]
Direction = Literal["longer", "shorter", ""]

#: The fields of an activity compared, in the order a reader meets them (lists compare element by element).
ACTIVITY_FIELDS = (
    "title",
    "data_use",
    "data_categories",
    "data_subjects",
    "source",
    "legal_basis",
    "legitimate_interest",
    "special_categories",
    "special_condition",
    "retention",
    "recipients",
    "required",
    "automated_decision",
    "ccpa_categories",
    "sold_or_shared",
    "sensitive",
)
#: The fields of a recipient compared.
RECIPIENT_FIELDS = ("name", "role", "purpose", "country", "safeguard")
_LISTS = frozenset({"data_categories", "data_subjects", "special_categories", "recipients", "ccpa_categories"})
_DAYS = {"Y": 365, "M": 30, "W": 7, "D": 1}
_PART = re.compile(r"(\d+)([YMWD])")


@dataclass(frozen=True)
class FactChange:
    """One fact that was added, removed or changed.

    ``field`` is empty for a whole activity or recipient added or removed (``old``/``new``: its model) and
    for a controller fact (``old``/``new``: its value, None when unset). A list field (``data_categories``,
    ``recipients``...) changes one element at a time: ``kind`` added or removed, the element in ``new``
    or ``old`` (an activity's recipient by its name).
    """

    kind: Literal["added", "removed", "changed"]
    subject: FactSubject
    name: str
    label: str = ""
    field: str = ""
    old: Any = None
    new: Any = None
    direction: Direction = ""
    transfer: bool = False

    def to_json(self) -> dict[str, Any]:
        """The change as plain JSON data."""

        def plain(value: Any) -> Any:
            if isinstance(value, BaseModel):
                return value.model_dump(mode="json", exclude_none=True)
            return list(value) if isinstance(value, tuple) else value

        out: dict[str, Any] = {"kind": self.kind, "subject": self.subject, "name": self.name, "label": self.label}
        out |= {"field": self.field} if self.field else {}
        out |= {"old": plain(self.old), "new": plain(self.new)}
        out |= {"direction": self.direction} if self.direction else {}
        out |= {"transfer": True} if self.transfer else {}
        return out


def _days(period: str) -> int:
    return sum(int(n) * _DAYS[unit] for n, unit in _PART.findall(period))


def retention_direction(old: Retention | None, new: Retention | None) -> Direction:
    """``longer`` or ``shorter`` when both keep data for a period from the same event, else ``""``."""
    if old is None or new is None or old.period is None or new.period is None or old.after != new.after:
        return ""
    a, b = _days(old.period), _days(new.period)
    return "longer" if b > a else "shorter" if b < a else ""


def _field_changes(
    kind: FactSubject, name: str, label: str, field: str, a: Any, b: Any, names: dict[str, str]
) -> Iterator[FactChange]:
    if field in _LISTS:
        before = tuple(names.get(x, x) for x in a or ())
        after = tuple(names.get(x, x) for x in b or ())
        yield from (FactChange("added", kind, name, label, field, new=x) for x in after if x not in before)
        yield from (FactChange("removed", kind, name, label, field, old=x) for x in before if x not in after)
    elif a != b:
        direction = retention_direction(a, b) if field == "retention" else ""
        yield FactChange("changed", kind, name, label, field, a, b, direction)


def _activities(old: Policy, new: Policy) -> Iterator[FactChange]:
    before = {a.id: a for a in old.processing}
    after = {a.id: a for a in new.processing}
    names = {r.id: r.name for r in (*old.recipients, *new.recipients)}  # an activity's recipients, by name
    for aid, act in after.items():
        was = before.get(aid)
        if was is None:
            yield FactChange("added", "activity", aid, act.title, new=act)
            continue
        for field in ACTIVITY_FIELDS:
            yield from _field_changes(
                "activity", aid, act.title, field, getattr(was, field), getattr(act, field), names
            )
    yield from (FactChange("removed", "activity", aid, a.title, old=a) for aid, a in before.items() if aid not in after)


def _recipients(old: Policy, new: Policy) -> Iterator[FactChange]:
    before = {r.id: r for r in old.recipients}
    after = {r.id: r for r in new.recipients}

    def abroad(policy: Policy, r: Recipient) -> bool:
        return is_third_country(r.country, policy.controller.jurisdictions)

    for rid, rec in after.items():
        was = before.get(rid)
        if was is None:
            yield FactChange("added", "recipient", rid, rec.name, new=rec, transfer=abroad(new, rec))
            continue
        for field in RECIPIENT_FIELDS:
            a, b = getattr(was, field), getattr(rec, field)
            if a != b:
                moved = field == "country" and abroad(new, rec) and not abroad(old, was)
                yield FactChange("changed", "recipient", rid, rec.name, field, a, b, transfer=moved)
    for rid, rec in before.items():
        if rid not in after:
            yield FactChange("removed", "recipient", rid, rec.name, old=rec, transfer=abroad(old, rec))


def _controller(old: Controller, new: Controller) -> Iterator[FactChange]:
    reps_a, reps_b = old.representative, new.representative
    pairs: tuple[tuple[FactSubject, Any, Any], ...] = (
        ("address", old.address, new.address),
        ("country", old.country, new.country),
        ("dpo", old.dpo, new.dpo),
        ("representative_eu", reps_a and reps_a.eu, reps_b and reps_b.eu),
        ("representative_uk", reps_a and reps_a.uk, reps_b and reps_b.uk),
        ("authority", old.supervisory_authority, new.supervisory_authority),
        ("jurisdictions", old.jurisdictions or None, new.jurisdictions or None),
    )
    for subject, a, b in pairs:
        if a != b:
            kind: Literal["added", "removed", "changed"] = (
                "added" if a is None else "removed" if b is None else "changed"
            )
            yield FactChange(kind, subject, subject, old=a, new=b)


def fact_changes(old: Policy, new: Policy) -> list[FactChange]:
    """The controller's facts, then each activity and each recipient: added, removed or changed."""
    return [*_controller(old.controller, new.controller), *_activities(old, new), *_recipients(old, new)]

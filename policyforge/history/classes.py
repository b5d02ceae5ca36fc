"""Kinds of change of a release, as the law sees them: ``consent``, ``material`` and ``editorial`` flags.

A release carries every flag that applies:

- ``consent``: the consent-relevant part changed (its consent revision is new), so visitors are asked again;
- ``material``: the facts changed in a way that widens processing, which readers must be told ahead of
  time (:func:`widens`): a new purpose, data category, data subject or recipient, a new transfer to a third
  country, a longer retention (or one that can no longer be compared with the old one), a new or changed
  legal basis, data newly sold, shared or used for automated decisions;
- ``editorial``: wording only, when no other flag applies.

Every other fact change (a shorter retention, a recipient removed, a new DPO address) is listed with the
release as a fact change that needs no notice. The first release has no flag; the first release that
adds facts to a policy that had none is not ``material`` (there was nothing to widen).

The editor may reclassify a consent change as editorial with a published reason
(:class:`~.releases.Reclassification`), only when :func:`wording_only` finds no cookie, category, activity or
recipient added or removed and no setting changed: the release then keeps the previous consent revision.

Notice periods (:func:`notice_rule`): a ``material`` release needs ``notice_material`` days between the day
it is announced and its effective date, a release adding a recipient (a sub-processor) ``notice_subprocessor``
days. Data only: the site words the flags (``site/strings.yaml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..source.model import Policy
from .diff import PolicyDiff, diff_policies
from .fact_diff import FactChange
from .releases import Release

__all__ = [
    "FLAGS",
    "Classes",
    "Flag",
    "NoticeRule",
    "classify",
    "notice_rule",
    "reclassified_reason",
    "recorded_revisions",
    "release_classes",
    "subprocessor_changes",
    "widens",
    "wording_only",
]

Flag = Literal["consent", "material", "editorial"]
FLAGS: tuple[Flag, ...] = ("consent", "material", "editorial")
# List fields whose added element widens processing, and yes/no fields whose turning on does.
_WIDENING_LISTS = frozenset({"data_categories", "data_subjects", "special_categories", "recipients", "ccpa_categories"})
_WIDENING_SWITCHES = frozenset({"automated_decision", "sold_or_shared", "sensitive"})
_CHANGED_WIDENS = frozenset({"data_use", "legal_basis", "special_condition", "legitimate_interest"})


@dataclass(frozen=True)
class Classes:
    """The flags of one release and the fact changes behind them.

    ``material``: the fact changes that widen processing (each needs notice); ``other``: the remaining
    fact changes (listed, no notice); ``reason``: why a consent change was released as editorial.
    """

    flags: tuple[Flag, ...]
    material: tuple[FactChange, ...] = ()
    other: tuple[FactChange, ...] = ()
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """The flags and fact changes as plain JSON data."""
        return {
            "flags": list(self.flags),
            "material_changes": [c.to_json() for c in self.material],
            "other_fact_changes": [c.to_json() for c in self.other],
            "reclassified": {"as": "editorial", "reason": self.reason} if self.reason else None,
        }


def widens(change: FactChange) -> bool:
    """True when a fact change widens processing (a ``material`` change)."""
    if change.subject == "recipient":
        return change.kind == "added" or (change.kind == "changed" and change.transfer)  # new, or moved abroad
    if change.subject != "activity":
        return False
    if not change.field:
        return change.kind == "added"
    if change.field in _WIDENING_LISTS:
        return change.kind == "added"
    if change.field == "retention":
        return change.direction != "shorter"
    if change.field in _WIDENING_SWITCHES:  # turned on: a yes, or an automated decision described
        return change.new not in (None, False, "none")
    return change.field in _CHANGED_WIDENS and change.new is not None


def _has_facts(policy: Policy) -> bool:
    return bool(policy.processing or policy.recipients)


def classify(d: PolicyDiff | None, old: Policy | None = None, reason: str = "") -> Classes:
    """The flags of the change ``d`` from ``old`` (None for a first release: no flag).

    ``reason``: the release was reclassified as editorial (its consent change needs no new consent).
    """
    if d is None or old is None:
        return Classes(())
    baseline = not _has_facts(old)  # facts added to a policy that had none: nothing widened
    material = () if baseline else tuple(c for c in d.facts if widens(c))
    other = tuple(c for c in d.facts if c not in material)
    flags: list[Flag] = []
    if d.consent_relevant and not reason:
        flags.append("consent")
    if material:
        flags.append("material")
    if not flags:
        flags.append("editorial")
    return Classes(tuple(flags), material, other, reason)


def release_classes(rel: Release, d: PolicyDiff | None = None) -> Classes:
    """The flags of release ``rel`` (``d``: its diff from the release before it, computed when not given)."""
    before = rel.previous
    if before is None:
        return Classes(())
    if d is None:
        d = diff_policies(before.policy, rel.policy, old_label=before.date, new_label=rel.date)
    return classify(d, before.policy, rel.reclassified.reason if rel.reclassified else "")


def recorded_revisions(d: PolicyDiff, old: Release | None, new: Release | None) -> PolicyDiff:
    """``d`` between two releases with the consent revisions ``versions.lock`` records for them, the ones the
    banner asks for: a release reclassified as editorial keeps the revision before it, so ``d`` is
    consent-relevant only when visitors are asked again. A diff with a draft (None) keeps its computed ones."""
    if old is None or new is None:
        return d
    return replace(d, old_revision=old.consent_revision, new_revision=new.consent_revision)


def reclassified_reason(new: Release | None, old_label: str) -> str:
    """Why ``new`` was released as editorial, when a diff from ``old_label`` is the change it was reclassified
    for (from the release just before it); else ``""``."""
    before = new.previous if new is not None else None
    kept = new.reclassified if new is not None and before is not None and before.date == old_label else None
    return kept.reason if kept is not None else ""


def subprocessor_changes(d: PolicyDiff | None) -> tuple[FactChange, ...]:
    """The recipients (sub-processors) added or removed by ``d``."""
    if d is None:
        return ()
    return tuple(c for c in d.facts if c.subject == "recipient" and c.kind != "changed")


def _cookies(policy: Policy) -> dict[tuple[str, str], Any]:
    """(category id, cookie name) → the cookie without its purpose (the wording a typo fix may touch)."""
    cats = policy.consent.categories if policy.consent else ()
    return {(c.id, k.name): k.model_copy(update={"purpose": ""}) for c in cats for k in c.cookies}


def _settings(policy: Policy) -> tuple[Any, ...]:
    consent = policy.consent
    if consent is None:
        return ()
    # a service's wording (name, description) may be a typo fix; its id, cookies and recipient are not wording
    cats = tuple(
        (c.id, c.required, tuple(c.gcm), c.activity, tuple((s.id, s.cookies, s.recipient) for s in c.services))
        for c in consent.categories
    )
    return (consent.lifetime_days, consent.cookie, cats)


def wording_only(old: Policy, new: Policy) -> str:
    """``""`` when ``new`` changes only wording within ``old``'s cookies and categories, else what else changed."""
    if _settings(old) != _settings(new):
        return "a consent category or a consent setting was added, removed or changed"
    if _cookies(old) != _cookies(new):
        return "a cookie was added, removed or changed in more than its purpose's wording"
    if {a.id for a in old.processing} != {a.id for a in new.processing}:
        return "a processing activity was added or removed"
    if {r.id for r in old.recipients} != {r.id for r in new.recipients}:
        return "a recipient was added or removed"
    return ""


@dataclass(frozen=True)
class NoticeRule:
    """A notice period a release breaks: the option naming it, its days, and the earliest allowed date."""

    option: str
    days: int
    earliest: dt.date
    what: str


def notice_rule(
    classes: Classes, d: PolicyDiff | None, announced: dt.date, effective: dt.date, material: int, subprocessor: int
) -> NoticeRule | None:
    """The strictest notice period ``effective`` falls short of (counted from ``announced``), or None."""
    rules = []
    if "material" in classes.flags:
        rules.append(
            NoticeRule("notice_material", material, announced + dt.timedelta(days=material), "material change")
        )
    if any(c.kind == "added" for c in subprocessor_changes(d)) and "material" in classes.flags:
        rules.append(
            NoticeRule(
                "notice_subprocessor", subprocessor, announced + dt.timedelta(days=subprocessor), "new sub-processor"
            )
        )
    short = [r for r in rules if effective < r.earliest]
    return max(short, key=lambda r: r.earliest) if short else None

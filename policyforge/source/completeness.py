"""The completeness check: does the notice give every fact GDPR Art. 13/14, Art. 27 and the CCPA ask for?

Rules apply according to ``controller.jurisdictions``: `eu` and `uk` hold the document to GDPR
Art. 9, 13, 14 and 27 (and the UK GDPR's), `us-ca` to the CCPA's notice at collection. A document
that declares no jurisdiction is held to none of them. Each finding names the article and the
activity or party, at the line of the YAML that lacks the fact. Documented in docs/lint-rules.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .facts import EEA, Activity, is_third_country
from .model import Policy

__all__ = ["COMPLETENESS_CHECKS", "COMPLETENESS_RULES"]

#: Every completeness rule id with its severity.
COMPLETENESS_RULES: dict[str, Literal["error", "warning"]] = {
    "controller-identity": "error",
    "dpo-undeclared": "error",
    "legal-basis-missing": "error",
    "legitimate-interest-missing": "error",
    "recipients-undeclared": "error",
    "transfer-safeguard-missing": "error",
    "retention-missing": "error",
    "supervisory-authority-missing": "error",
    "requirement-undeclared": "error",
    "automated-decision-undeclared": "error",
    "data-categories-missing": "error",
    "source-unnamed": "error",
    "representative-missing": "error",
    "special-condition-missing": "error",
    "ccpa-notice-at-collection": "error",
}

Report = Callable[..., None]
_CTRL = ("controller",)


def _gdpr(policy: Policy) -> bool:
    return bool({"eu", "uk"} & set(policy.controller.jurisdictions))


def _from_person(activity: Activity) -> bool:
    return activity.source is None or activity.source.kind == "data_subject"


def _activities(policy: Policy) -> list[tuple[int, Activity]]:
    return list(enumerate(policy.processing)) if _gdpr(policy) else []


def _where(i: int, data: dict[str, Any], key: str) -> tuple[str | int, ...]:
    """The activity's ``key`` when written, else its id's line."""
    entries = data.get("processing")
    entry = entries[i] if isinstance(entries, list) and i < len(entries) else {}
    return ("processing", i, key) if isinstance(entry, dict) and key in entry else ("processing", i, "id")


def _controller_identity(policy: Policy, data: dict[str, Any], report: Report) -> None:
    ctrl = policy.controller
    if _gdpr(policy) and (ctrl.address is None or ctrl.country is None):
        missing = " and ".join(n for n, v in (("address", ctrl.address), ("country", ctrl.country)) if v is None)
        report("controller-identity", _CTRL, f"Art. 13(1)(a): the controller's {missing} is not given")


#: Facts of the controller a GDPR notice gives: (rule, field, message).
_CONTROLLER_FACTS = (
    (
        "dpo-undeclared",
        "dpo",
        "Art. 13(1)(b): give the data protection officer's contact details (`dpo`), or `dpo: none` if none",
    ),
    (
        "supervisory-authority-missing",
        "supervisory_authority",
        "Art. 13(2)(d): name the supervisory authority one may complain to (`supervisory_authority`)",
    ),
)


def _controller_facts(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for rule, field, message in _CONTROLLER_FACTS if _gdpr(policy) else ():
        if getattr(policy.controller, field) is None:
            report(rule, _CTRL, message)


def _no_activity(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if _gdpr(policy) and not policy.processing:
        report(
            "legal-basis-missing", ("controller", "jurisdictions"), "Art. 13(1)(c): no processing activity is declared"
        )


def _art(act: Activity, collected: str, elsewhere: str) -> str:
    """The article for data collected from the person (Art. 13) or from elsewhere (Art. 14)."""
    return collected if _from_person(act) else elsewhere


@dataclass(frozen=True)
class _ActivityRule:
    """A fact each activity states under the GDPR: missing when ``lacks``, reported at ``key``."""

    rule: str
    key: str
    lacks: Callable[[Activity], bool]
    message: Callable[[Activity], str]


_ACTIVITY_RULES = (
    _ActivityRule(
        "legal-basis-missing",
        "id",
        lambda a: a.legal_basis is None,
        lambda a: f"Art. 13(1)(c): activity {a.id!r} has no legal basis",
    ),
    _ActivityRule(
        "legitimate-interest-missing",
        "legal_basis",
        lambda a: a.legal_basis == "legitimate_interests" and a.legitimate_interest is None,
        lambda a: (
            f"Art. 13(1)(d): activity {a.id!r} relies on legitimate interests (Art. 6(1)(f)) but states no "
            "`legitimate_interest`"
        ),
    ),
    _ActivityRule(
        "recipients-undeclared",
        "id",
        lambda a: a.recipients is None,
        lambda a: f"Art. 13(1)(e): activity {a.id!r} does not say who receives the data (`recipients`; `[]`: nobody)",
    ),
    _ActivityRule(
        "retention-missing",
        "id",
        lambda a: a.retention is None,
        lambda a: f"{_art(a, 'Art. 13(2)(a)', 'Art. 14(2)(a)')}: activity {a.id!r} states no retention",
    ),
    _ActivityRule(
        "requirement-undeclared",
        "id",
        lambda a: a.required is None and _from_person(a),
        lambda a: f"Art. 13(2)(e): activity {a.id!r} does not say whether providing the data is required (`required`)",
    ),
    _ActivityRule(
        "automated-decision-undeclared",
        "id",
        lambda a: a.automated_decision is None,
        lambda a: (
            f"{_art(a, 'Art. 13(2)(f)', 'Art. 14(2)(g)')}: activity {a.id!r} does not say whether it makes "
            "automated decisions (`automated_decision: none`, or its logic, significance and consequences)"
        ),
    ),
    _ActivityRule(
        "data-categories-missing",
        "source",
        lambda a: not _from_person(a) and not a.data_categories,
        lambda a: f"Art. 14(1)(d): activity {a.id!r} receives data from elsewhere but names no `data_categories`",
    ),
    _ActivityRule(
        "source-unnamed",
        "source",
        lambda a: a.source is not None and a.source.kind != "data_subject" and a.source.name is None,
        lambda a: f"Art. 14(2)(f): activity {a.id!r} does not name the source of the data (`source.name`)",
    ),
    _ActivityRule(
        "special-condition-missing",
        "special_categories",
        lambda a: bool(a.special_data()) and a.special_condition is None,
        lambda a: (
            f"Art. 9(2): activity {a.id!r} processes special categories of data "
            f"({', '.join(a.special_data())}) but names no `special_condition`"
        ),
    ),
)


def _activity_facts(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        for check in _ACTIVITY_RULES:
            if check.lacks(act):
                key = check.key if check.key != "special_categories" or act.special_categories else "data_categories"
                report(check.rule, _where(i, data, key), check.message(act))


def _safeguards(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, rec in enumerate(policy.recipients):
        if is_third_country(rec.country, policy.controller.jurisdictions) and rec.safeguard is None:
            report(
                "transfer-safeguard-missing",
                ("recipients", i, "country"),
                f"Art. 13(1)(f): recipient {rec.id!r} is in a third country ({rec.country}) but no `safeguard` "
                "is given (adequacy, sccs, bcrs or derogation)",
            )


def _representative(policy: Policy, data: dict[str, Any], report: Report) -> None:
    ctrl = policy.controller
    reps = ctrl.representative
    needs = (
        ("eu", "eu" in ctrl.jurisdictions and ctrl.country is not None and ctrl.country not in EEA, "EU"),
        ("uk", "uk" in ctrl.jurisdictions and ctrl.country is not None and ctrl.country != "GB", "UK"),
    )
    for key, needed, region in needs:
        if needed and (reps is None or getattr(reps, key) is None):
            report(
                "representative-missing",
                ("controller", "country"),
                f"Art. 27: the controller is established outside the {region} ({ctrl.country}) and addresses people "
                f"there, so it must name its {region} representative (`representative.{key}`)",
            )


def _ccpa(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if "us-ca" not in policy.controller.jurisdictions:
        return
    for i, act in enumerate(policy.processing):
        missing = [
            name
            for name, absent in (
                ("the categories of personal information (`ccpa_categories`)", not act.ccpa_categories),
                ("whether it is sold or shared (`sold_or_shared`)", act.sold_or_shared is None),
                ("how long it is kept (`retention`)", act.retention is None),
            )
            if absent
        ]
        if missing:
            report(
                "ccpa-notice-at-collection",
                _where(i, data, "id"),
                f"CCPA § 1798.100(a): the notice at collection for activity {act.id!r} lacks {'; '.join(missing)}",
            )


COMPLETENESS_CHECKS: tuple[Callable[[Policy, dict[str, Any], Report], None], ...] = (
    _controller_identity,
    _controller_facts,
    _no_activity,
    _activity_facts,
    _safeguards,
    _representative,
    _ccpa,
)

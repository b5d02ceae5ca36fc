"""The completeness check: does the notice give every fact GDPR Art. 13/14, Art. 27 and the CCPA ask for?

Rules apply according to ``controller.jurisdictions``: `eu` and `uk` hold the document to GDPR
Art. 9, 13, 14 and 27 (and the UK GDPR's), `us-ca` to the CCPA's notice at collection. A document
that declares no jurisdiction is held to none of them. Each finding names the article and the
activity or party, at the line of the YAML that lacks the fact. Documented in docs/lint-rules.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from .facts import EEA, Activity
from .model import Policy

__all__ = ["COMPLETENESS_CHECKS", "COMPLETENESS_RULES", "SPECIAL_DATA_CATEGORIES"]

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

#: fideslang data categories that are special categories of data (GDPR Art. 9(1)).
SPECIAL_DATA_CATEGORIES = (
    "user.biometric",
    "user.health_and_medical",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
)

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


def _dpo(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if _gdpr(policy) and policy.controller.dpo is None:
        report(
            "dpo-undeclared",
            _CTRL,
            "Art. 13(1)(b): give the data protection officer's contact details (`dpo`), or `dpo: none` if none",
        )


def _legal_basis(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if _gdpr(policy) and not policy.processing:
        report(
            "legal-basis-missing", ("controller", "jurisdictions"), "Art. 13(1)(c): no processing activity is declared"
        )
    for i, act in _activities(policy):
        if act.legal_basis is None:
            report(
                "legal-basis-missing", _where(i, data, "id"), f"Art. 13(1)(c): activity {act.id!r} has no legal basis"
            )


def _interest(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.legal_basis == "legitimate_interests" and act.legitimate_interest is None:
            report(
                "legitimate-interest-missing",
                _where(i, data, "legal_basis"),
                f"Art. 13(1)(d): activity {act.id!r} relies on legitimate interests (Art. 6(1)(f)) but states no "
                "`legitimate_interest`",
            )


def _recipients(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.recipients is None:
            report(
                "recipients-undeclared",
                _where(i, data, "id"),
                f"Art. 13(1)(e): activity {act.id!r} does not say who receives the data (`recipients`; `[]`: nobody)",
            )


def _safeguards(policy: Policy, data: dict[str, Any], report: Report) -> None:
    laws = set(policy.controller.jurisdictions)
    for i, rec in enumerate(policy.recipients if _gdpr(policy) else ()):
        third = ("eu" in laws and rec.country not in EEA) or ("uk" in laws and rec.country not in EEA | {"GB"})
        if third and rec.safeguard is None:
            report(
                "transfer-safeguard-missing",
                ("recipients", i, "country"),
                f"Art. 13(1)(f): recipient {rec.id!r} is in a third country ({rec.country}) but no `safeguard` "
                "is given (adequacy, sccs, bcrs or derogation)",
            )


def _retention(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.retention is None:
            article = "Art. 13(2)(a)" if _from_person(act) else "Art. 14(2)(a)"
            report("retention-missing", _where(i, data, "id"), f"{article}: activity {act.id!r} states no retention")


def _authority(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if _gdpr(policy) and policy.controller.supervisory_authority is None:
        report(
            "supervisory-authority-missing",
            _CTRL,
            "Art. 13(2)(d): name the supervisory authority one may complain to (`supervisory_authority`)",
        )


def _requirement(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.required is None and _from_person(act):
            report(
                "requirement-undeclared",
                _where(i, data, "id"),
                f"Art. 13(2)(e): activity {act.id!r} does not say whether providing the data is required (`required`)",
            )


def _automated(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.automated_decision is None:
            article = "Art. 13(2)(f)" if _from_person(act) else "Art. 14(2)(g)"
            report(
                "automated-decision-undeclared",
                _where(i, data, "id"),
                f"{article}: activity {act.id!r} does not say whether it makes automated decisions "
                "(`automated_decision: none`, or its logic, significance and consequences)",
            )


def _categories(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if not _from_person(act) and not act.data_categories:
            report(
                "data-categories-missing",
                _where(i, data, "source"),
                f"Art. 14(1)(d): activity {act.id!r} receives data from elsewhere but names no `data_categories`",
            )


def _source(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        if act.source is not None and act.source.kind != "data_subject" and act.source.name is None:
            report(
                "source-unnamed",
                _where(i, data, "source"),
                f"Art. 14(2)(f): activity {act.id!r} does not name the source of the data (`source.name`)",
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


def _special(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, act in _activities(policy):
        implied = [c for c in act.data_categories if c.startswith(SPECIAL_DATA_CATEGORIES)]
        if (act.special_categories or implied) and act.special_condition is None:
            named = ", ".join([*act.special_categories, *implied])
            report(
                "special-condition-missing",
                _where(i, data, "special_categories" if act.special_categories else "data_categories"),
                f"Art. 9(2): activity {act.id!r} processes special categories of data ({named}) but names no "
                "`special_condition`",
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
    _dpo,
    _legal_basis,
    _interest,
    _recipients,
    _safeguards,
    _retention,
    _authority,
    _requirement,
    _automated,
    _categories,
    _source,
    _representative,
    _special,
    _ccpa,
)

"""The record of processing activities (GDPR Art. 30(1)) from a policy's facts: one row per activity.

Written as CSV (one cell per column, lists joined with "; ") and as JSON (lists kept as lists) by
``policyforge export --format ropa``. Taxonomy keys keep their fideslang key; the CSV adds the
English name, and a cell a spreadsheet would run as a formula starts with an apostrophe. The joint
controllers of Art. 30(1)(a) are the activity's recipients whose role is ``joint_controller``; the security
measures of Art. 30(1)(g) are the activity's own ``security_measures``, else the controller's.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .facts import LEGAL_BASES, Activity, Party, is_third_country
from .model import Policy
from .taxonomy import TaxonomyKind, taxonomy_name

__all__ = ["ROPA_COLUMNS", "ropa_csv", "ropa_json", "ropa_rows"]

#: Every column with the point of Art. 30(1) it records.
ROPA_COLUMNS: dict[str, str] = {
    "activity": "the activity's id",
    "controller": "Art. 30(1)(a)",
    "controller_contact": "Art. 30(1)(a)",
    "joint_controllers": "Art. 30(1)(a)",
    "dpo": "Art. 30(1)(a)",
    "representative": "Art. 30(1)(a)",
    "purpose": "Art. 30(1)(b)",
    "data_use": "Art. 30(1)(b)",
    "legal_basis": "Art. 6(1)",
    "data_subjects": "Art. 30(1)(c)",
    "data_categories": "Art. 30(1)(c)",
    "special_categories": "Art. 30(1)(c), Art. 9",
    "recipients": "Art. 30(1)(d)",
    "transfers": "Art. 30(1)(e)",
    "retention": "Art. 30(1)(f)",
    "security_measures": "Art. 30(1)(g)",
}


def _party(party: Party | None) -> str:
    if party is None:
        return ""
    return ", ".join(v for v in (party.name, party.email, party.address) if v)


def _row(policy: Policy, act: Activity) -> dict[str, Any]:
    ctrl = policy.controller
    reps = ctrl.representative
    recipients = [r for r in policy.recipients if r.id in (act.recipients or ())]
    transfers = [r for r in recipients if is_third_country(r.country, ctrl.jurisdictions or ("eu",))]
    basis = f"{act.legal_basis} (Art. 6(1)({LEGAL_BASES[act.legal_basis]}))" if act.legal_basis else ""
    return {
        "activity": act.id,
        "controller": ctrl.name,
        "controller_contact": ", ".join(v for v in (ctrl.email, ctrl.address) if v),
        "joint_controllers": [f"{r.name} ({r.country})" for r in recipients if r.role == "joint_controller"],
        "dpo": "none" if ctrl.dpo == "none" else _party(ctrl.dpo),
        "representative": "; ".join(
            f"{region}: {_party(p)}"
            for region, p in (("EU", reps.eu if reps else None), ("UK", reps.uk if reps else None))
            if p
        ),
        "purpose": act.title,
        "data_use": act.data_use,
        "legal_basis": basis,
        "data_subjects": list(act.data_subjects),
        "data_categories": list(act.data_categories),
        "special_categories": [*act.special_categories, *([act.special_condition] if act.special_condition else [])],
        "recipients": [f"{r.name} ({r.role}, {r.country})" for r in recipients],
        "transfers": [f"{r.name}: {r.country}, {r.safeguard or 'no safeguard stated'}" for r in transfers],
        "retention": act.retention.summary() if act.retention else "",
        "security_measures": act.security_measures or ctrl.security_measures or "",
    }


def ropa_rows(policy: Policy) -> list[dict[str, Any]]:
    """One row per processing activity, with every column of :data:`ROPA_COLUMNS`."""
    return [_row(policy, act) for act in policy.processing]


def ropa_json(policy: Policy, version: str) -> str:
    """The record as JSON: the version it was made from, the columns and the rows."""
    data = {"format": 1, "version": version, "columns": ROPA_COLUMNS, "activities": ropa_rows(policy)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_NAMED: dict[str, TaxonomyKind] = {
    "data_use": "data_use",
    "data_subjects": "data_subject",
    "data_categories": "data_category",
}


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(column: str, value: Any) -> str:
    kind = _NAMED.get(column)
    values = value if isinstance(value, list) else [value]
    if kind is not None:
        values = [f"{taxonomy_name(kind, key)} ({key})" for key in values]
    text = "; ".join(str(v) for v in values)
    return "'" + text if text.startswith(_FORMULA_START) else text


def ropa_csv(policy: Policy) -> str:
    """The record as CSV: a header of the column names, then one line per activity."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROPA_COLUMNS)
    for row in ropa_rows(policy):
        writer.writerow(_cell(column, row[column]) for column in ROPA_COLUMNS)
    return out.getvalue()

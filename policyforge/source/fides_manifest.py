"""A fideslang system manifest from a policy's facts: one system, one privacy declaration per activity.

``policyforge export --format fides`` writes it as YAML (``system:`` at the top, as fideslang's
manifests are); its keys are those of fideslang's ``System`` and ``PrivacyDeclaration`` models, and
its taxonomy keys those of fideslang's default taxonomy.
"""

from __future__ import annotations

import re
from typing import Any

from .facts import Activity, is_third_country
from .model import Policy

__all__ = ["fides_manifest"]

# fideslang's names of the legal bases (LegalBasisForProcessingEnum), the Art. 9(2) conditions
# (SpecialCategoryLegalBasisEnum), the safeguards (LegalBasisForTransfersEnum) and the roles.
_BASES = {
    "consent": "Consent",
    "contract": "Contract",
    "legal_obligation": "Legal obligations",
    "vital_interests": "Vital interests",
    "public_task": "Public interest",
    "legitimate_interests": "Legitimate interests",
}
_SPECIAL = {
    "explicit_consent": "Explicit consent",
    "employment_law": "Employment, social security and social protection",
    "vital_interests": "Vital interests",
    "not_for_profit_body": "Not-for-profit bodies",
    "made_public": "Made public by the data subject",
    "legal_claims": "Legal claims or judicial acts",
    "substantial_public_interest": "Reasons of substantial public interest (with a basis in law)",
    "health_care": "Health or social care (with a basis in law)",
    "public_health": "Public health (with a basis in law)",
    "research_or_statistics": "Archiving, research and statistics (with a basis in law)",
}
_TRANSFERS = {"adequacy": "Adequacy Decision", "sccs": "SCCs", "bcrs": "BCRs", "derogation": "Other"}


def _key(text: str) -> str:
    """A fides_key from a name: letters, digits and underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "system"


def _declaration(policy: Policy, act: Activity) -> dict[str, Any]:
    names = [r.name for r in policy.recipients if r.id in (act.recipients or ())]
    decl: dict[str, Any] = {
        "name": act.title,
        "data_use": act.data_use,
        "data_categories": list(act.data_categories),
        "data_subjects": list(act.data_subjects),
        "processes_special_category_data": bool(act.special_data()),
        "data_shared_with_third_parties": bool(names),
    }
    if act.legal_basis is not None:
        decl["legal_basis_for_processing"] = _BASES[act.legal_basis]
    if act.special_condition is not None:
        decl["special_category_legal_basis"] = _SPECIAL[act.special_condition]
    if act.retention is not None:
        decl["retention_period"] = act.retention.summary()
    if names:
        decl["third_parties"] = "; ".join(names)
    return decl


def fides_manifest(policy: Policy) -> dict[str, Any]:
    """The manifest as data: ``{"system": [one system]}``."""
    ctrl = policy.controller
    laws = ctrl.jurisdictions or ("eu",)
    transfers = [r for r in policy.recipients if is_third_country(r.country, laws)]
    system: dict[str, Any] = {
        "fides_key": _key(policy.product),
        "name": policy.product,
        "description": f"{policy.title} of {policy.product}",
        "organization_fides_key": "default_organization",
        "system_type": "Service",
        "legal_name": ctrl.name,
        "responsibility": ["Controller"],
        "uses_profiling": any(a.automated_decision not in (None, "none") for a in policy.processing),
        "does_international_transfers": bool(transfers),
        "legal_basis_for_transfers": sorted({_TRANSFERS[r.safeguard] for r in transfers if r.safeguard}),
        "privacy_declarations": [_declaration(policy, act) for act in policy.processing],
    }
    if ctrl.address is not None:
        system["legal_address"] = ctrl.address
    if ctrl.dpo is not None and ctrl.dpo != "none":
        system["dpo"] = ", ".join(v for v in (ctrl.dpo.name, ctrl.dpo.email, ctrl.dpo.address) if v)
    return {"system": [system]}

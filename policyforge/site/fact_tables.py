"""The facts as a reader sees them: durations in the page's language, the rights a notice owes, labels.

``include: processing``, ``recipients``, ``rights`` and ``controller`` render the policy's facts
(``source/facts.py``) as tables and lists (``templates/policy/facts.html``); this module gives them
what a template cannot work out: the rights that follow from the jurisdictions and legal bases
declared, and the keys of ``strings.yaml`` for each fixed value. Durations are put in words of the
page's language by ``source/durations.py`` (re-exported here for the templates).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.durations import format_duration, is_period
from ..source.model import Policy

__all__ = [
    "BASIS_KEYS",
    "SAFEGUARD_KEYS",
    "Right",
    "format_duration",
    "is_period",
    "owed_rights",
]

#: The strings.yaml key naming each legal basis with its point of GDPR Art. 6(1).
BASIS_KEYS: dict[str, str] = {
    "consent": "basis_consent",
    "contract": "basis_contract",
    "legal_obligation": "basis_legal_obligation",
    "vital_interests": "basis_vital_interests",
    "public_task": "basis_public_task",
    "legitimate_interests": "basis_legitimate_interests",
}
#: The strings.yaml key naming each transfer safeguard (GDPR Art. 45, 46, 47, 49).
SAFEGUARD_KEYS: dict[str, str] = {
    "adequacy": "safeguard_adequacy",
    "sccs": "safeguard_sccs",
    "bcrs": "safeguard_bcrs",
    "derogation": "safeguard_derogation",
}


@dataclass(frozen=True)
class Right:
    """One right of the data subject: its ``strings.yaml`` key, its law and the article (GDPR) or section (CCPA)
    that grants it."""

    key: str
    law: str  # "gdpr" or "ccpa"
    article: str


_ALWAYS = (
    Right("right_access", "gdpr", "15"),
    Right("right_rectification", "gdpr", "16"),
    Right("right_erasure", "gdpr", "17"),
    Right("right_restriction", "gdpr", "18"),
)
_CCPA = (
    Right("right_ccpa_know", "ccpa", "1798.110"),
    Right("right_ccpa_delete", "ccpa", "1798.105"),
    Right("right_ccpa_correct", "ccpa", "1798.106"),
    Right("right_ccpa_opt_out", "ccpa", "1798.120"),
    Right("right_ccpa_limit", "ccpa", "1798.121"),
    Right("right_ccpa_no_discrimination", "ccpa", "1798.125"),
)


def owed_rights(policy: Policy) -> list[Right]:
    """The rights the notice must state, in the order of the law.

    Under the GDPR (``eu`` or ``uk`` declared, or no jurisdiction declared): access, rectification, erasure and
    restriction always; portability when a basis is consent or contract (Art. 20(1)(a)); objection when a basis is
    public task or legitimate interests (Art. 21(1)) and to direct marketing when an activity's data use is
    marketing (Art. 21(2)); withdrawal of consent when a basis is consent (Art. 7(3)); the complaint to the
    supervisory authority (Art. 77). Under ``us-ca``: the CCPA's six rights.
    """
    jurisdictions = policy.controller.jurisdictions
    bases = {activity.legal_basis for activity in policy.processing}
    rights: list[Right] = []
    if not jurisdictions or {"eu", "uk"} & set(jurisdictions):
        rights += _ALWAYS
        if bases & {"consent", "contract"}:
            rights.append(Right("right_portability", "gdpr", "20"))
        if bases & {"public_task", "legitimate_interests"}:
            rights.append(Right("right_object", "gdpr", "21(1)"))
        if any(activity.data_use.startswith("marketing") for activity in policy.processing):
            rights.append(Right("right_object_marketing", "gdpr", "21(2)"))
        if "consent" in bases:
            rights.append(Right("right_withdraw", "gdpr", "7(3)"))
        rights.append(Right("right_complaint", "gdpr", "77"))
    if "us-ca" in jurisdictions:
        rights += _CCPA
    return rights

"""The consent revision: a hash over the consent-relevant part of the policy only.

It covers the consent categories, their cookies, services (each with its recipient: who provides a
service is what a visitor allows) and Consent Mode types, the consent lifetime,
the record cookie's name, the regional rules (``regions``, a category's ``opt_out``: they change what
the banner does before any choice) and any section tagged ``consent_relevant``. Banner wording, the
receipts endpoint, the way a duration is written (a period and its English words are one duration:
``durations.duration_meaning``), the facts (``processing``, ``recipients``, a category's ``activity``, a cookie's
``recipient``), what sets a cookie (``set_by``) and editorial changes elsewhere leave it unchanged,
so visitors are asked again only when it matters.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .durations import duration_meaning
from .model import Policy, Section
from .numbering import numbered_sections

__all__ = ["consent_relevant_data", "consent_revision"]


def consent_relevant_data(policy: Policy) -> dict[str, Any]:
    """The part of the policy that the consent revision covers, as plain data."""
    # The receipts endpoint is where proof is kept, not what the visitor consents to.
    if policy.consent is None:
        consent: dict[str, Any] | None = None
    else:
        consent = policy.consent.model_dump(mode="json", exclude={"banner", "receipts_url"})
        if not consent["regions"]:  # the default: revisions from before regional rules existed stay valid
            del consent["regions"]
    for category in consent["categories"] if consent else []:
        del category["activity"]  # facts (the activity served, who sets a cookie) are not what one consents to
        if not category["services"]:  # services are consent-relevant; revisions from before them stay valid
            del category["services"]
        if category["opt_out"]:  # the default, as for `regions`
            del category["opt_out"]
        for cookie in category["cookies"]:
            del cookie["recipient"]
            del cookie["set_by"]  # who sets it is the product's concern, not what a visitor agrees to
            cookie["duration"] = duration_meaning(cookie["duration"])  # P180D and "180 days" say the same
            if cookie["storage"] == "cookie":  # the default: revisions from before the field existed stay valid
                del cookie["storage"]
    tagged = [ns.section for ns in numbered_sections(policy.sections) if ns.section.consent_relevant]
    return {"consent": consent, "sections": [_section_content(s) for s in tagged]}


def _section_content(section: Section) -> dict[str, Any]:
    return section.model_dump(mode="json", exclude={"sections", "title"})


def consent_revision(policy: Policy) -> str:
    """Twelve hex digits of sha256 over the canonical JSON of :func:`consent_relevant_data`."""
    canonical = json.dumps(consent_relevant_data(policy), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

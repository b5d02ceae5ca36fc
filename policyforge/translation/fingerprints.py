"""Fingerprints of a document's parts: twelve hex digits of sha256 over the texts a translation translates.

A translation entry records the fingerprint of the original's text it was made from (``translated_from``),
so a later change of that text makes the entry stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..source.model import ConsentCategory, Policy, Section, TermItem

__all__ = ["digest", "fingerprint_category", "fingerprint_document", "fingerprint_section"]


def digest(data: Any) -> str:
    """Twelve hex digits of sha256 over ``data`` as canonical JSON."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _item_data(item: TermItem | str) -> Any:
    return [item.term, item.text] if isinstance(item, TermItem) else item


def fingerprint_section(section: Section) -> str:
    """Twelve hex digits of sha256 over a section's own texts (not its subsections', which have their own)."""
    table = section.table.model_dump(mode="json") if section.table else None
    return digest(
        {
            "title": section.title,
            "text": section.text,
            "items": [_item_data(i) for i in section.items],
            "table": table,
            "after": section.after,
        }
    )


def fingerprint_category(category: ConsentCategory) -> str:
    """The fingerprint of a consent category's texts: title, description, each cookie's purpose and each service's
    name and description (only when it has services: the fingerprints of categories without stay as they were)."""
    texts: dict[str, Any] = {
        "title": category.title,
        "description": category.description,
        "cookies": {c.name: c.purpose for c in category.cookies},
    }
    if category.services:
        texts["services"] = {s.id: [s.name, s.description] for s in category.services}
    return digest(texts)


def fingerprint_document(policy: Policy) -> str:
    """The fingerprint of the document's own texts: title, product, preamble, quick reference, closing."""
    return digest(
        {
            "title": policy.title,
            "product": policy.product,
            "preamble": policy.preamble,
            "quick_reference": list(policy.quick_reference),
            "closing": policy.closing,
        }
    )

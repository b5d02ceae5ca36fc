"""The links between facts, checked on the YAML data with file:line: ids unique, references known.

An activity lists recipients by id, a consent category names the activity it serves, a cookie the
recipient that sets it, a service its category's cookies and its recipient; each reference must name an
entry that exists (with did-you-mean). A service's id is unique in its category and short enough for
``CATEGORY:SERVICE`` (the banner's gating attribute and record key, a receipt's entry).
"""

from __future__ import annotations

import difflib
from typing import Any

from ..errors import Problem
from .yaml_reader import Loc, Located

__all__ = ["fact_reference_problems"]


def fact_reference_problems(doc: Located) -> list[Problem]:
    """Duplicate activity and recipient ids and references to ids that do not exist."""
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[Problem] = []
    activities = _ids(doc, data.get("processing"), ("processing",), out)
    recipients = _ids(doc, data.get("recipients"), ("recipients",), out)
    for i, activity in _entries(data.get("processing")):
        listed = activity.get("recipients")
        for j, ref in enumerate(listed if isinstance(listed, list) else []):
            out += _unknown(doc, ("processing", i, "recipients", j), ref, recipients, "recipient")
    consent = data.get("consent")
    categories = consent.get("categories") if isinstance(consent, dict) else None
    for i, category in _entries(categories):
        here: Loc = ("consent", "categories", i)
        if "activity" in category:
            out += _unknown(doc, (*here, "activity"), category["activity"], activities, "processing activity")
        for j, cookie in _entries(category.get("cookies")):
            if "recipient" in cookie:
                out += _unknown(doc, (*here, "cookies", j, "recipient"), cookie["recipient"], recipients, "recipient")
        out += _service_problems(doc, here, category, recipients)
    services = sum(len(c["services"]) for _, c in _entries(categories) if isinstance(c.get("services"), list))
    if services and len(_entries(categories)) + services > RECEIPT_ENTRIES:
        out.append(
            doc.problem(
                ("consent", "categories"),
                f"{len(_entries(categories)) + services} categories and services: at most {RECEIPT_ENTRIES} "
                "(a consent receipt lists each)",
            )
        )
    return out


#: The longest ``CATEGORY:SERVICE`` and the most categories and services together: what a receipt's
#: ``granted`` and ``refused`` take (``receipts/receipt.schema.json``).
SERVICE_KEY_LIMIT = 80
RECEIPT_ENTRIES = 50


def _service_problems(doc: Located, here: Loc, category: dict[str, Any], recipients: list[str]) -> list[Problem]:
    """A category's services: ids unique and short enough, cookies declared in the category, recipients known."""
    out: list[Problem] = []
    ids = _ids(doc, category.get("services"), (*here, "services"), out)
    cookies = [c["name"] for _, c in _entries(category.get("cookies")) if isinstance(c.get("name"), str)]
    for j, service in _entries(category.get("services")):
        loc: Loc = (*here, "services", j)
        key = f"{category.get('id')}:{service.get('id')}"
        if service.get("id") in ids and len(key) > SERVICE_KEY_LIMIT:
            out.append(doc.problem((*loc, "id"), f"{key!r} is longer than {SERVICE_KEY_LIMIT} characters"))
        if "recipient" in service:
            out += _unknown(doc, (*loc, "recipient"), service["recipient"], recipients, "recipient")
        named = service.get("cookies")
        for k, name in enumerate(named if isinstance(named, list) else []):
            out += _unknown(doc, (*loc, "cookies", k), name, cookies, "cookie of this category", key="name")
    return out


def _entries(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value if isinstance(value, list) else []) if isinstance(v, dict)]


def _ids(doc: Located, value: Any, loc: Loc, out: list[Problem]) -> list[str]:
    seen: dict[str, int] = {}
    for i, entry in _entries(value):
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            out.append(doc.problem((*loc, i, "id"), f"duplicate id {ident!r} (first at line {seen[ident]})"))
        else:
            seen[ident] = doc.line_of((*loc, i, "id"))
    return list(seen)


def _unknown(doc: Located, loc: Loc, ref: Any, known: list[str], what: str, key: str = "id") -> list[Problem]:
    if not isinstance(ref, str) or ref in known:
        return []
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})" if known else ""
    return [doc.problem(loc, f"no {what} has the {key} {ref!r}{hint}")]

"""JSON Schemas (draft 2020-12) of the policy source and of its translation files, for editors' autocompletion.

The translation schema is built from the policy's own (:class:`~policyforge.source.model.Policy`):
the same texts with the same limits, keyed by id, plus ``translated_from``. It describes the shape
an editor can check while typing; ``policyforge check`` checks the rest against the original (ids
that exist, the same number of items, table shape).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .facts import FACT_PROSE
from .model import Policy
from .options import LANGUAGE_TAG
from .taxonomy import taxonomy

__all__ = [
    "SCHEMA_ID",
    "TRANSLATION_SCHEMA_FILE",
    "TRANSLATION_SCHEMA_ID",
    "policy_schema",
    "schema_text",
    "translation_schema",
    "translation_schema_text",
]

SCHEMA_ID = "https://policyforge.dev/schema/policy.schema.json"
TRANSLATION_SCHEMA_ID = "https://policyforge.dev/schema/translation.schema.json"
TRANSLATION_SCHEMA_FILE = "translation.schema.json"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_FINGERPRINT = {
    "type": "string",
    "pattern": "^[0-9a-f]{12}$",
    "description": "The fingerprint of the original's text this entry was translated from; written by "
    "`policyforge translate mark`, never by hand.",
}


def policy_schema() -> dict[str, Any]:
    """The schema as a dict, with ``$schema`` and ``$id`` set."""
    body = Policy.model_json_schema(mode="validation")
    return {"$schema": _DRAFT, "$id": SCHEMA_ID, **body}


def schema_text() -> str:
    """The schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"


def _texts(props: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The properties ``names`` of a model's schema, as texts a translation gives (no defaults, never null)."""
    out: dict[str, Any] = {}
    for name in names:
        prop = copy.deepcopy(props[name])
        prop.pop("default", None)
        prop.pop("title", None)
        if "anyOf" in prop:  # `str | None` in the original: a translation gives the text
            kept = [p for p in prop.pop("anyOf") if p != {"type": "null"}]
            prop = {**(kept[0] if len(kept) == 1 else {"anyOf": kept}), **prop}
        out[name] = prop
    return out


def _entry(description: str, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "description": description,
        "properties": {"translated_from": _FINGERPRINT, **props},
    }


def _prose(kind: str) -> dict[str, Any]:
    """The properties of a fact's translated prose (``facts.FACT_PROSE``): its text fields, nested as in the
    original."""
    tree: dict[str, Any] = {}
    for path in FACT_PROSE[kind][0]:
        *heads, last = path.split(".")
        node = tree
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = {"type": "string", "minLength": 1}

    def schema(node: dict[str, Any]) -> dict[str, Any]:
        props = {k: v if "type" in v else schema(v) for k, v in node.items()}
        return {"type": "object", "additionalProperties": False, "properties": props}

    return dict(schema(tree)["properties"])


def translation_schema() -> dict[str, Any]:
    """The schema of ``translations/LANG.yaml``, with ``$schema`` and ``$id`` set."""
    policy = Policy.model_json_schema(mode="validation")
    defs = policy["$defs"]
    section = _texts(defs["Section"]["properties"], ("title", "text", "items", "table", "after"))
    category = _texts(defs["ConsentCategory"]["properties"], ("title", "description"))
    category["cookies"] = {
        "type": "object",
        "description": "Each cookie's translated purpose, by the cookie's name (its provider, "
        "duration and domain come from the original).",
        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 300},
    }
    service = _texts(defs["Service"]["properties"], ("name", "description"))
    category["services"] = {
        "type": "object",
        "description": "Each service's translated name (and description, when the original has one), by the "
        "service's id (its cookies and recipient come from the original).",
        "additionalProperties": {"type": "object", "additionalProperties": False, "properties": service},
    }
    banner = _texts(defs["BannerTexts"]["properties"], tuple(defs["BannerTexts"]["properties"]))
    document = _texts(policy["properties"], ("title", "product", "preamble", "quick_reference", "closing"))
    return {
        "$schema": _DRAFT,
        "$id": TRANSLATION_SCHEMA_ID,
        "title": "policyforge translation",
        "description": "The translated texts of a policy, keyed by id. Structure (ids, order, numbering, cookies, "
        "dates, Consent Mode types) comes only from the original; see docs/translations.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["language"],
        "properties": {
            "language": {
                "type": "string",
                "pattern": LANGUAGE_TAG,
                "description": "The translation's language tag; must equal the file's name (de.yaml: de).",
            },
            "translated_from": _FINGERPRINT,
            **document,
            "sections": {
                "type": "object",
                "description": "Every section and subsection, by its id.",
                "additionalProperties": _entry(
                    "A section's translated texts: each text field the original section has.", section
                ),
            },
            "categories": {
                "type": "object",
                "description": "Consent categories, by id.",
                "additionalProperties": _entry("A consent category's translated texts.", category),
            },
            "banner": {
                "type": "object",
                "additionalProperties": False,
                "properties": banner,
                "description": "Banner texts overriding the built-in texts of this language.",
            },
            "activities": {
                "type": "object",
                "description": "Processing activities, by id: their prose (the purpose, retention criteria, ...).",
                "additionalProperties": _entry("An activity's translated prose.", _prose("activity")),
            },
            "recipients": {
                "type": "object",
                "description": "Recipients, by id: their purpose (and name, when it is translated).",
                "additionalProperties": _entry("A recipient's translated prose.", _prose("recipient")),
            },
            "controller": _entry(
                "The controller's translated prose: its address, its parties' names and addresses.",
                _prose("controller"),
            ),
            "labels": {
                "type": "object",
                "description": "Names of fideslang data categories and data uses in this language, by key "
                "(the facts' tables show fideslang's English name of a key without one).",
                "propertyNames": {"enum": sorted([*taxonomy("data_category"), *taxonomy("data_use")])},
                "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 300},
            },
        },
        "$defs": {name: defs[name] for name in ("TermItem", "Table")},
    }


def translation_schema_text() -> str:
    """The translation schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(translation_schema(), indent=2, ensure_ascii=False) + "\n"

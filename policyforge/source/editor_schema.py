"""JSON Schema (draft 2020-12) of the policy source, for editors' autocompletion."""

from __future__ import annotations

import json
from typing import Any

from .model import Policy

__all__ = ["SCHEMA_ID", "policy_schema", "schema_text"]

SCHEMA_ID = "https://policyforge.dev/schema/policy.schema.json"


def policy_schema() -> dict[str, Any]:
    """The schema as a dict, with ``$schema`` and ``$id`` set."""
    body = Policy.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **body}


def schema_text() -> str:
    """The schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"

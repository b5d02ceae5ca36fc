"""The committed schema is current, editors find it, and the editing docs cover every field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from policyforge.source.editor_schema import policy_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "policy_source" / "policy.schema.json"


def test_committed_schema_is_not_stale() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run `policyforge schema`"


def test_policy_yaml_points_editors_at_the_schema() -> None:
    first = (ROOT / "policy_source" / "policy.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./policy.schema.json"


def test_example_validates_against_schema_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    data = yaml.safe_load((ROOT / "policy_source" / "policy.yaml").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    jsonschema.Draft202012Validator(schema).validate(data)
    bad = {**data, "titel": "x"}
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def schema_fields(node: Any, defs: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.add(name)
            found |= schema_fields(sub, defs)
        for key, value in node.items():
            if key != "properties":
                found |= schema_fields(value, defs)
    elif isinstance(node, list):
        for item in node:
            found |= schema_fields(item, defs)
    return found


def test_every_schema_field_is_documented_on_the_editing_page() -> None:
    schema = policy_schema()
    fields = schema_fields(schema, schema.get("$defs", {}))
    page = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", page))
    missing = sorted(fields - documented)
    assert len(fields) > 40
    assert not missing, f"fields missing from docs/editing.md: {missing}"

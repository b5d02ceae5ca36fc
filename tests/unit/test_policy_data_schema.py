"""The facts in ``policy.json`` have a published schema: ``policy-data.schema.json`` carries the model's own
schema of the controller, the processing activities and the recipients (and of their parts), and the rights owed.

Run ``python -m tests.unit.test_policy_data_schema`` to rewrite the copy after a change to the facts' model.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from policyforge.source.model import Policy
from tests.conftest import ROOT

SCHEMA = ROOT / "policyforge" / "site" / "data_schemas" / "policy-data.schema.json"
FACTS = {"controller": "Controller", "processing": "Activity", "recipients": "Recipient"}


def _reachable(defs: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The definitions ``names`` and every definition they refer to."""
    found: dict[str, Any] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found[name] = defs[name]
            todo += [ref.rsplit("/", 1)[1] for ref in _refs(defs[name])]
    return dict(sorted(found.items()))


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    return [ref for value in node for ref in _refs(value)] if isinstance(node, list) else []


def expected_schema() -> dict[str, Any]:
    """The published schema with its facts' definitions as the model gives them today."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    model = Policy.model_json_schema()
    policy = schema["properties"]["policy"]
    for key, name in FACTS.items():
        ref = {"$ref": f"#/$defs/{name}"}
        if key == "controller":
            policy.setdefault("properties", {})[key] = ref
        else:
            described = {"type": "array", "items": ref, "description": model["properties"][key]["description"]}
            policy.setdefault("properties", {})[key] = described
    schema["$defs"] = _reachable(model["$defs"], list(FACTS.values()))
    return schema


def test_the_published_schema_carries_the_models_facts() -> None:
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert published == expected_schema(), "stale: run `python -m tests.unit.test_policy_data_schema`"
    assert set(published["properties"]["policy"]["properties"]) == set(FACTS)


def test_the_schema_refuses_facts_the_model_refuses() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {
        "id": "accounts",
        "title": "Run your account",
        "data_use": "essential.service.operations",
        "legal_basis": "contract",
        "retention": {"period": "P30D", "after": "account deletion", "criteria": None},
    }
    validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/Activity"})
    validator.validate(good)
    for bad in ({"legal_basis": "because"}, {"data_use": "essential.nope"}, {"recipient": ["x"]}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({**copy.deepcopy(good), **bad})


if __name__ == "__main__":
    SCHEMA.write_text(json.dumps(expected_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

"""The translation files' editor schema: committed and current, the example's translations and a skeleton
validate against it, typos do not, `schema --check` notices a stale copy, and docs/translations.md covers it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policyforge.cli.main import main
from policyforge.source.editor_schema import translation_schema, translation_schema_text
from policyforge.source.loader import load_policy
from policyforge.source.yaml_reader import read_yaml
from policyforge.translation.edits import skeleton_text
from tests.conftest import ROOT, invoke
from tests.unit.test_schema_docs import schema_fields

SCHEMA_FILE = ROOT / "policy_source" / "translation.schema.json"


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def data_of(path: Path) -> Any:
    return json.loads(json.dumps(read_yaml(path).data, default=str))


def test_committed_translation_schema_is_not_stale() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == translation_schema_text(), "run `policyforge schema`"


@pytest.mark.parametrize("source", ["policy_source", "terms_source"])
def test_the_examples_translations_point_at_the_schema_and_validate(source: str) -> None:
    path = ROOT / source / "translations" / "de.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert (path.parent / reference).resolve() == SCHEMA_FILE
    validator().validate(data_of(path))


def test_typos_and_hand_written_fingerprints_do_not_validate() -> None:
    data = data_of(ROOT / "policy_source" / "translations" / "de.yaml")
    section = next(iter(data["sections"]))
    check = validator()
    assert not check.is_valid({**data, "titel": "x"})
    assert not check.is_valid({**data, "sections": {section: {"titel": "x"}}})
    assert not check.is_valid({**data, "sections": {section: {"title": "x", "translated_from": "yesterday"}}})
    assert not check.is_valid({**data, "banner": {"acept": "Ja"}})
    assert not check.is_valid({**data, "language": "Deutsch"})
    assert check.is_valid({"language": "de", "banner": {"accept": "Alle akzeptieren"}})


def test_a_skeleton_validates(tmp_path: Path) -> None:
    path = tmp_path / "fr.yaml"
    path.write_text(skeleton_text(load_policy(ROOT / "policy_source" / "policy.yaml"), "fr"), encoding="utf-8")
    validator().validate(data_of(path))


def test_schema_writes_both_and_check_notices_a_stale_translation_schema(tmp_path: Path) -> None:
    out = tmp_path / "policy.schema.json"
    result = invoke(main, ["schema", "-f", str(ROOT / "mkdocs.yml"), "--out", str(out)])
    assert result.exit_code == 0 and (tmp_path / "translation.schema.json").read_text(encoding="utf-8") == (
        translation_schema_text()
    )
    (tmp_path / "translation.schema.json").write_text("{}", encoding="utf-8")
    result = invoke(main, ["schema", "-f", str(ROOT / "mkdocs.yml"), "--out", str(out), "--check"])
    assert (
        result.exit_code == 1
        and result.stderr == f"{tmp_path / 'translation.schema.json'} is stale; run `policyforge schema`\n"
    )


def test_every_translation_field_is_documented() -> None:
    schema = translation_schema()
    fields = schema_fields(schema, schema.get("$defs", {}))
    page = (ROOT / "docs" / "translations.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", page))
    assert not sorted(fields - documented), f"fields missing from docs/translations.md: {sorted(fields - documented)}"

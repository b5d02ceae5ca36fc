"""The completeness check holds a document to the laws its `jurisdictions` name, and to no others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.cli.main import main
from policyforge.source.lint import LintFinding, lint_file
from policyforge.source.loader import load_policy
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
COMPLETE = FIXTURES / "facts-complete"


def _data(case: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / case / "policy_source" / "policy.yaml").read_text("utf-8"))
    return data


def _lint(tmp_path: Path, data: dict[str, Any]) -> list[LintFinding]:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return lint_file(path, load_policy(path), display="policy.yaml")


def test_complete_facts_pass_strict() -> None:
    result = invoke(main, ["check", "--strict", "-f", str(COMPLETE / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize(
    "case", ["lint-retention-missing", "lint-supervisory-authority-missing", "lint-representative-missing"]
)
def test_no_jurisdictions_no_completeness_rules(tmp_path: Path, case: str) -> None:
    data = _data(case)
    assert _lint(tmp_path, data)
    del data["controller"]["jurisdictions"]
    assert _lint(tmp_path, data) == []


def test_us_only_site_is_not_held_to_art_27_nor_to_gdpr(tmp_path: Path) -> None:
    data = _data("lint-representative-missing")
    data["controller"]["jurisdictions"] = ["us-ca"]
    del data["controller"]["supervisory_authority"]
    del data["recipients"][1]["safeguard"]
    assert _lint(tmp_path, data) == []


def test_uk_needs_a_uk_representative_and_treats_the_eea_as_safe(tmp_path: Path) -> None:
    data = _data("facts-complete")
    data["controller"]["jurisdictions"] = ["uk"]
    del data["recipients"][1]["safeguard"]  # in the US
    findings = _lint(tmp_path, data)
    assert [f.rule for f in findings] == ["representative-missing", "transfer-safeguard-missing"]
    assert "outside the UK (US)" in findings[0].message and "representative.uk" in findings[0].message
    assert "'mailer'" in findings[1].message  # the recipient in Germany needs no safeguard for the UK
    data["controller"]["representative"]["uk"] = {"name": "Tiny Rep Ltd", "address": "1 High Street, London"}
    data["recipients"][1]["safeguard"] = "sccs"
    assert _lint(tmp_path, data) == []


def test_declared_special_categories_need_a_condition(tmp_path: Path) -> None:
    data = _data("facts-complete")
    data["processing"][0]["special_categories"] = ["health"]
    findings = _lint(tmp_path, data)
    assert [(f.rule, f.message.split(":")[0]) for f in findings] == [("special-condition-missing", "Art. 9(2)")]
    assert "(health)" in findings[0].message
    data["processing"][0]["special_condition"] = "explicit_consent"
    assert _lint(tmp_path, data) == []


def test_a_document_without_activities_is_reported_once(tmp_path: Path) -> None:
    data = _data("facts-complete")
    del data["processing"]
    data["consent"]["categories"][0].pop("activity")
    findings = _lint(tmp_path, data)
    assert [(f.rule, f.line) for f in findings] == [("legal-basis-missing", 21)]
    assert "no processing activity is declared" in findings[0].message


def test_dpo_and_representative_addresses_do_not_trip_the_contact_rule(tmp_path: Path) -> None:
    data = _data("lint-contact-email-mismatch")
    assert [f.rule for f in _lint(tmp_path, data)] == ["contact-email-mismatch"]
    data["controller"]["dpo"] = {"name": "Dana Protect", "email": "DPO@tiny-app.example"}
    assert _lint(tmp_path, data) == []
    data["controller"]["dpo"] = "none"
    data["controller"]["representative"] = {"eu": {"name": "Rep", "email": "dpo@tiny-app.example"}}
    assert _lint(tmp_path, data) == []

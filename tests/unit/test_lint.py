"""`policyforge check` lints a valid policy: one fixture project per rule, exact output lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.source.lint import LINT_RULES, LintFinding, failing, lint_file
from policyforge.source.loader import load_policy
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CASES = sorted(FIXTURES.glob("lint-*"))


def _lint_text(tmp_path: Path, text: str) -> list[LintFinding]:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return lint_file(path, load_policy(path), display="policy.yaml")


def _variant(case: str, old: str, new: str) -> str:
    text = (FIXTURES / f"lint-{case}" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def test_every_rule_has_a_fixture_and_documentation() -> None:
    assert sorted(p.name.removeprefix("lint-") for p in CASES) == sorted(LINT_RULES)
    docs = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for rule in LINT_RULES:
        assert f"`{rule}`" in docs, rule


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_check_prints_findings_with_lines(case: Path) -> None:
    rule = case.name.removeprefix("lint-")
    result = invoke(main, ["check", "-f", str(case / "mkdocs.yml")])
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    severity = "error" if case.name == "lint-lifetime-too-long" else LINT_RULES[rule]
    findings = [line for line in result.stderr.splitlines() if not line.startswith(("ERROR:", "hint:"))]
    assert "\n".join(findings) + "\n" == expected
    assert expected.strip()
    for line in expected.splitlines():
        assert line.startswith("policy_source/policy.yaml:") and line.endswith(f"[{rule}]"), line
    assert result.exit_code == (1 if severity == "error" else 0), result.output
    if severity == "error":
        assert result.stderr.splitlines()[-2].startswith("ERROR: ") and "OK:" not in result.stdout
    else:
        assert result.stdout.startswith("OK: ")
    strict = invoke(main, ["check", "--strict", "-f", str(case / "mkdocs.yml")])
    assert strict.exit_code == 1


def test_reported_line_points_at_the_cause() -> None:
    case = FIXTURES / "lint-non-essential-required"
    source = (case / "policy_source" / "policy.yaml").read_text(encoding="utf-8").splitlines()
    line = int((case / "expected.txt").read_text(encoding="utf-8").split(":")[1])
    assert source[line - 1].strip() == "required: true"
    assert "id: analytics" in source[line - 4]


def test_example_policy_is_clean() -> None:
    result = invoke(main, ["check", "--strict", "-f", str(ROOT / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout.startswith("OK: ")


def test_lifetime_warns_between_6_and_13_months(tmp_path: Path) -> None:
    findings = _lint_text(tmp_path, _variant("lifetime-too-long", "lifetime_days: 400", "lifetime_days: 200"))
    assert [(f.rule, f.severity, f.line) for f in findings] == [("lifetime-too-long", "warning", 16)]
    assert not failing(findings) and failing(findings, strict=True)
    at_limit = _variant("lifetime-too-long", "lifetime_days: 400", "lifetime_days: 180")
    assert _lint_text(tmp_path, at_limit) == []


@pytest.mark.parametrize(
    ("reject", "flagged"),
    [
        ("OK", True),  # same as accept
        ("Accept", True),  # consents, does not refuse
        ("Allow cookies", True),
        ("Reject all", False),
        ("Decline", False),
        ("Continue without accepting", False),
        ("Only necessary cookies", False),
    ],
)
def test_reject_label_must_refuse(tmp_path: Path, reject: str, flagged: bool) -> None:
    text = _variant("missing-reject-label", "reject: OK", f"reject: {reject}").replace(
        "accept: OK", "accept: Accept all"
    )
    if reject == "OK":
        text = text.replace("accept: Accept all", "accept: ok")
    rules = [f.rule for f in _lint_text(tmp_path, text)]
    assert rules == (["missing-reject-label"] if flagged else [])


def test_reject_label_same_as_customize(tmp_path: Path) -> None:
    text = _variant("missing-reject-label", "reject: OK", "reject: Choose\n    customize: choose")
    findings = _lint_text(tmp_path, text)
    assert [f.rule for f in findings] == ["missing-reject-label"]
    assert "customize" in findings[0].message


def test_required_category_titled_marketing_is_flagged(tmp_path: Path) -> None:
    text = _variant("non-essential-required", "title: Analytics Cookies", "title: Partner Advertising")
    text = text.replace("id: analytics", "id: partners")
    findings = _lint_text(tmp_path, text)
    assert [f.rule for f in findings] == ["non-essential-required"]
    assert "'partners'" in findings[0].message


def test_essential_cookie_with_security_purpose_is_fine(tmp_path: Path) -> None:
    text = _variant(
        "essential-purpose",
        "Measures which advertising campaign brought you here",
        "Protects the login form against forgery",
    )
    assert _lint_text(tmp_path, text) == []


def test_real_provider_and_duration_pass(tmp_path: Path) -> None:
    text = _variant("cookie-missing-fields", "provider: TBD", "provider: Tiny App").replace(
        "duration: n/a", "duration: session"
    )
    assert _lint_text(tmp_path, text) == []


def test_controller_email_anywhere_is_fine(tmp_path: Path) -> None:
    text = _variant("contact-email-mismatch", "dpo@tiny-app.example", "PRIVACY@tiny.example")
    assert _lint_text(tmp_path, text) == []


def test_finding_format() -> None:
    finding = LintFinding("policy.yaml", 7, "lifetime-too-long", "warning", "too long")
    assert str(finding) == "policy.yaml:7: warning: too long [lifetime-too-long]"

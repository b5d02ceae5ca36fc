"""Issue 12.6: `check` counts every section with the right plural; impossible dates are called impossible."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.history.dates import date_problem
from tests.conftest import ROOT, copy_project, invoke


def test_check_counts_nested_sections_and_uses_plurals(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT)
    result = invoke(main, ["check", "-f", str(config)])
    assert result.exit_code == 0, result.output
    # 12 top-level sections, 7 subsections in 2 of them: the example has 19 sections in all.
    assert "valid: 19 sections, " in result.output
    assert "consent categories, consent revision" in result.output


def test_check_singular(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT)
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = policy.read_text()
    head, _, tail = text.partition("\nsections:\n")
    keep = "\nsections:\n  - id: only\n    title: Only\n    include: consent-categories\n"
    policy.write_text(head + keep + "\nclosing:" + tail.split("\nclosing:", 1)[1])
    (tmp_path / "p" / "policy_source" / "versions.lock").unlink()
    for old in (tmp_path / "p" / "policy_source" / "versions").iterdir():
        old.unlink()
    for old in (tmp_path / "p" / "policy_source" / "translations").iterdir():  # translated the removed sections
        old.unlink()
    # --document: the example's sample terms link to sections this edit removes
    result = invoke(main, ["check", "-f", str(config), "--document", "privacy"])
    assert "valid: 1 section, " in result.output, result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-30", "'2026-02-30' is an impossible date: February 2026 has 28 days"),
        ("2024-02-30", "'2024-02-30' is an impossible date: February 2024 has 29 days"),
        ("2026-13-01", "'2026-13-01' is an impossible date: there is no month 13"),
        ("2026-04-31", "'2026-04-31' is an impossible date: April 2026 has 30 days"),
        ("2026-2-3", "'2026-2-3' is not a date in the form YYYY-MM-DD"),
        ("2026-02-28", None),
    ],
)
def test_date_problem(text: str, expected: str | None) -> None:
    assert date_problem(text) == expected


def test_release_with_an_impossible_date_says_impossible(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT)
    result = invoke(main, ["release", "-f", str(config), "--effective", "2026-02-30", "--summary", "x"])
    assert result.exit_code == 2
    assert "impossible date: February 2026 has 28 days" in result.output

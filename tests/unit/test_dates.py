"""Release dates (history/dates.py): an impossible date is called impossible, in every command that takes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.history.dates import date_problem
from tests.conftest import ROOT, copy_project, invoke


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

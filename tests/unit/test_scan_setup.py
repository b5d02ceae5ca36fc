"""`policyforge scan` works from a plain install: Playwright comes with the package, a missing
browser is explained, and the URL hint appears only when the URL was the problem."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

from policyforge.audit import scan as scan_mod
from policyforge.cli.main import main
from tests.conftest import FIXTURES, invoke

POLICY = FIXTURES / "sites" / "policy_source"


def test_playwright_is_a_plain_dependency() -> None:
    requires = importlib.metadata.requires("policyforge") or []
    plain = [r for r in requires if "extra ==" not in r]
    assert any(re.match(r"playwright\b", r) for r in plain), plain


def test_missing_browser_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "no-chrome-here"
    monkeypatch.setattr(scan_mod, "launch_args", lambda: {"args": [], "executable_path": str(missing)})
    result = invoke(main, ["scan", "http://127.0.0.1:9/", "--policy", str(POLICY)])
    assert result.exit_code == 2
    assert result.stderr.startswith("ERROR: no Chromium to run the scan with:")
    assert "apt-get install chromium" in result.stderr and "playwright install chromium" in result.stderr
    assert "Check the URL" not in result.stderr


def test_missing_policy_folder_gets_no_url_hint(tmp_path: Path) -> None:
    result = invoke(main, ["scan", "http://127.0.0.1:9/", "--policy", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "policy.yaml: not found" in result.stderr
    assert "hint:" not in result.stderr


def test_bad_url_gets_the_url_hint() -> None:
    result = invoke(main, ["scan", "ftp://127.0.0.1/", "--policy", str(POLICY)])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.stderr
    assert "hint: Give the full address" in result.stderr

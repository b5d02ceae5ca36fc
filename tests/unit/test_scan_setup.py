"""`policyforge scan` works from a plain install: Playwright comes with the package, a missing
browser is explained, and the URL hint appears only when the URL was the problem."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

from policyforge.cli.main import main
from tests.conftest import FIXTURES, invoke

POLICY = FIXTURES / "sites" / "policy_source"


def test_playwright_is_a_plain_dependency() -> None:
    requires = importlib.metadata.requires("policyforge") or []
    plain = [r for r in requires if "extra ==" not in r]
    assert any(re.match(r"playwright\b", r) for r in plain), plain


# A scan whose Chromium does not exist (Playwright's real launch error), in a process of its own:
# Playwright's sync API cannot start inside the event loop a browser test of this session runs.
NO_BROWSER_SCAN = """
import sys
from policyforge.audit import scan
from policyforge.cli import main
scan.launch_args = lambda: {"args": [], "executable_path": sys.argv[1]}
sys.argv = ["policyforge", "scan", "http://127.0.0.1:9/", "--policy", sys.argv[2]]
main()
"""


def test_missing_browser_says_how_to_get_one(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", NO_BROWSER_SCAN, str(tmp_path / "no-chrome-here"), str(POLICY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("ERROR: no Chromium to run the scan with:")
    assert "apt-get install chromium" in run.stderr and "playwright install chromium" in run.stderr
    assert "Check the URL" not in run.stderr and "Traceback" not in run.stderr


def test_missing_policy_folder_gets_no_url_hint(tmp_path: Path) -> None:
    result = invoke(main, ["scan", "http://127.0.0.1:9/", "--policy", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "policy.yaml: not found" in result.stderr
    assert "hint:" not in result.stderr


def test_bad_url_gets_the_url_hint() -> None:
    result = invoke(main, ["scan", "ftp://127.0.0.1/", "--policy", str(POLICY)])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.stderr
    assert "hint: Give the full address" in result.stderr

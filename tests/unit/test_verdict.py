"""The test command's verdict cannot lie: a run that collects no test fails."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_make_pytest_fails_when_every_test_is_deselected() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    run = subprocess.run(["make", "--no-print-directory", "-s", "pytest",
                          "PYTEST_ARGS=-k no_test_has_this_name_xyz"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "deselected" in run.stdout


def test_make_test_runs_pytest_without_rescue() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "pytest" in test_recipe and "rc" not in test_recipe and "|| true" not in test_recipe
    assert "bash .ci/run" not in test_recipe
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")



def test_every_browser_test_is_marked() -> None:
    """Collecting tests/e2e with ``-m "not e2e"`` leaves only the two that parse files without a browser."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", "-m", "not e2e", "tests/e2e"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False)
    collected = [line for line in run.stdout.splitlines() if "::" in line]
    assert collected == ["tests/e2e/test_injection.py::test_feeds_and_json_still_parse",
                         "tests/e2e/test_injection.py::test_no_hostile_markup_reaches_html"]
    assert "deselected" in run.stdout

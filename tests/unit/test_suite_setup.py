"""The test suite's own setup: `make test` and `make pytest` give pytest's verdict (a run that collects no test
fails), and every browser test carries the e2e mark (tests/conftest.py)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BROWSER_FIXTURES, ROOT


def run_here(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in the repository, outside this pytest run (its PYTEST_ variables removed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False)


def test_make_pytest_fails_when_every_test_is_deselected() -> None:
    run = run_here(["make", "--no-print-directory", "-s", "pytest", "PYTEST_ARGS=-k no_test_has_this_name_xyz"])
    assert run.returncode != 0, run.stdout + run.stderr
    assert "deselected" in run.stdout


def test_make_test_runs_pytest_without_rescue() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "pytest" in test_recipe and "rc" not in test_recipe and "|| true" not in test_recipe
    assert "bash .ci/run" not in test_recipe
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")


def browser_tests(folder: Path) -> set[str]:
    """Test ids whose function asks for a browser fixture, read from the source with ast (independent
    of the marking hook, which reads pytest's fixture names)."""
    found: set[str] = set()
    for path in sorted(folder.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                params = {a.arg for a in node.args.args}
                if params & BROWSER_FIXTURES:
                    found.add(f"{path.relative_to(ROOT).as_posix()}::{node.name}")
    return found


def test_every_browser_test_is_marked() -> None:
    """No test that asks for a browser fixture is collected by ``-m "not e2e"``."""
    run = run_here(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "not e2e", "tests"]
    )
    unmarked = {line.split("[")[0] for line in run.stdout.splitlines() if "::" in line}
    assert unmarked, run.stdout + run.stderr  # the browser-free part of the suite is not empty
    browser = browser_tests(ROOT / "tests")
    assert len(browser) > 30  # the suite's browser tests were found
    assert sorted(unmarked & browser) == []

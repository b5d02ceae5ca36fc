"""The lint gate of every build (site/lint_gate.py), through ``prepare()``, which every build calls."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from policyforge.errors import LintError
from policyforge.site import build as site
from policyforge.source.options import read_project
from tests.conftest import FIXTURES, copy_project
from tests.helpers import EXAMPLE_CURRENT, example_with_a_failing_release
from tests.logs import captured


def test_prepare_refuses_a_draft_that_fails_the_lint(tmp_path: Path) -> None:
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "lint-non-essential-required"))
    with pytest.raises(LintError) as caught:
        site.prepare(options)
    error = caught.value
    assert error.failing == 1 and error.summary().endswith("; nothing was built.")
    assert any(str(p).endswith("[non-essential-required]") and ": error: " in str(p) for p in error.problems)
    assert error.hint and "lint-rules" in error.hint


def test_a_draft_with_only_warnings_passes_with_its_findings(tmp_path: Path) -> None:
    inputs = site.prepare(read_project(copy_project(tmp_path / "p", FIXTURES / "valid-tiny")))
    assert [(f.rule, f.severity) for f in inputs.lint] == [("record-cookie-undeclared", "warning")]


def test_a_release_with_lint_errors_is_published_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Released versions never change: their lint errors warn, and the correction is a new release."""
    project = example_with_a_failing_release(tmp_path / "p")
    with captured(caplog, "policyforge", logging.WARNING):
        inputs = site.prepare(read_project(project / "mkdocs.yml"))
    assert inputs.version == EXAMPLE_CURRENT
    assert [(f.rule, f.severity) for f in inputs.lint if f.severity == "error"] == [("lifetime-too-long", "error")]
    assert all(f.file.endswith(f"versions/{EXAMPLE_CURRENT}.yaml") for f in inputs.lint)
    assert f"the published release {EXAMPLE_CURRENT} has lint errors" in caplog.text
    assert "release a corrected version" in caplog.text

"""The library's ``check()`` (site/check.py): what ``policyforge check`` checks, as a result to read."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyforge
from tests.conftest import FIXTURES, copy_project


def test_check_returns_the_findings_and_fails_on_lint_errors(tmp_path: Path) -> None:
    report = policyforge.check(copy_project(tmp_path / "p", FIXTURES / "lint-non-essential-required"))
    assert report.failed
    (doc,) = report.documents
    assert "non-essential-required" in [f.rule for f in doc.lint]
    assert doc.lint_error is not None and doc.lint_error.summary() == "1 lint finding(s) in policy_source/policy.yaml."
    assert not (tmp_path / "p" / "site").exists()


def test_strict_makes_any_finding_fail(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    lenient = policyforge.check(config)
    assert not lenient.failed and [f.severity for f in lenient.documents[0].lint] == ["warning"]
    strict = policyforge.check(config, strict=True)
    assert strict.failed and strict.documents[0].lint_error is not None


def test_check_raises_every_source_problem_at_once(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    policy = config.parent / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(policyforge.SourceError) as caught:
        policyforge.check(config)
    assert any("titel" in str(p) for p in caught.value.problems)


def test_check_of_several_documents_reports_each(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "multidoc", tmp_path / "p")
    report = policyforge.check(tmp_path / "p" / "mkdocs.yml")
    assert [doc.options.document for doc in report.documents] == ["privacy", "terms"]
    assert policyforge.check(tmp_path / "p" / "mkdocs.yml", document="terms").documents[0].options.document == "terms"

"""The commands on a several-document project: --document, and check of every document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policyforge.cli.main import main
from tests.conftest import FIXTURES, invoke


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "multidoc", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    return tmp_path / "p"


def test_check_without_document_checks_every_document(project: Path) -> None:
    result = invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "OK: privacy_source/policy.yaml is valid: 2 sections, 2 consent categories, consent revision "
        + result.output.split("consent revision ")[1].split(".")[0]
        + ".",
        "OK: terms_source/policy.yaml is valid: 2 sections, no consent block.",
    ]
    only = invoke(main, ["check", "--document", "terms"])
    assert only.output == "OK: terms_source/policy.yaml is valid: 2 sections, no consent block.\n"


def test_check_reports_a_broken_cross_link_and_problems_of_every_document(project: Path) -> None:
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(terms.read_text().replace("doc:privacy#introduction", "doc:privacy#gone"))
    privacy = project / "privacy_source" / "policy.yaml"
    privacy.write_text(privacy.read_text().replace("title: Cookies", "title: ''"))
    result = invoke(main, ["check"])
    assert result.exit_code == 2
    assert "privacy_source/policy.yaml:14: sections[1].title:" in result.output
    result = invoke(main, ["check", "--document", "terms"])  # the broken privacy policy is not this one's problem
    assert result.exit_code == 2
    privacy.write_text(privacy.read_text().replace("title: ''", "title: Cookies"))
    result = invoke(main, ["check", "--document", "terms"])
    assert result.exit_code == 2
    assert (
        "terms_source/policy.yaml:12: link to unknown section `doc:privacy#gone`: document 'privacy' has no "
        "section with that id"
    ) in result.output


def test_release_versions_and_diff_act_on_one_document(project: Path) -> None:
    result = invoke(
        main,
        [
            "release",
            "--document",
            "terms",
            "--effective",
            "2025-03-01",
            "--backdate",
            "--published",
            "2025-03-01",
            "--summary",
            "First terms.",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "no hand-off note" in result.output
    assert (project / "terms_source" / "versions" / "2025-03-01.yaml").is_file()
    assert not (project / "privacy_source" / "versions.lock").exists()
    listed = invoke(main, ["versions", "--document", "terms"])
    assert "2025-03-01  current   no       first               2025-03-01  First terms." in listed.output
    assert "No released versions yet" in invoke(main, ["versions"]).output  # the default: the consent document
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(terms.read_text().replace("as is,", "as is, without warranty,"))
    diff = invoke(main, ["diff", "--document", "terms", "current"])
    assert diff.exit_code == 0 and "Liability" in diff.output and "warranty" in diff.output
    unknown = invoke(main, ["versions", "--document", "tos"])
    assert unknown.exit_code == 2 and "unknown document 'tos' (documents: privacy, terms)" in unknown.output

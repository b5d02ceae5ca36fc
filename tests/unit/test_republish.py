"""`release --republish`: a version whose text did not change, shown as such everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyforge.history.dates import TODAY_ENV
from policyforge.history.releases import load_history
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, copy_project
from tests.unit.test_versions import edit_draft, invoke


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    return read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))


def test_republication_is_recorded_and_shown_as_such(project: ProjectOptions) -> None:
    # Formatting only: emphasis the reader sees as the same words.
    edit_draft(project, "We never sell your data to anyone.", "We *never* sell your data to anyone.")
    code, out, err = invoke(
        project, "release", "--effective", "2024-07-01", "--summary", "Restated, no change.", "--republish"
    )
    assert code == 0, err
    assert out.startswith("Republished (text unchanged) as policy_source/versions/2024-07-01.yaml")
    lock = json.loads((project.source / "versions.lock").read_text(encoding="utf-8"))
    assert lock["versions"][-1]["kind"] == "republication"
    assert "kind" not in lock["versions"][0]
    assert load_history(project).newest.republished  # type: ignore[union-attr]
    code, out, _ = invoke(project, "versions")
    assert "(republished, text unchanged) Restated, no change." in out
    code, out, _ = invoke(project, "diff", "2024-06-01", "2024-07-01")
    assert "Republished without changes to the text" in out and "changed" not in out.split("\n", 2)[1]
    code, out, _ = invoke(project, "diff", "2024-06-01", "2024-07-01", "--format", "json")
    data = json.loads(out)
    assert data["republished"] is True and data["sections"] == []


def test_a_republication_must_not_change_the_text(project: ProjectOptions) -> None:
    edit_draft(project, "We never sell your data to anyone.", "We never sell or rent your data to anyone.")
    code, _, err = invoke(project, "release", "--effective", "2024-07-01", "--summary", "x", "--republish")
    assert code == 2 and "does not read as the newest release 2024-06-01: changed #sharing." in err
    assert "Release it without --republish" in err


def test_a_changed_link_target_is_a_text_change_for_republish_too(project: ProjectOptions) -> None:
    edit_draft(project, "We never sell your data to anyone.", "We never [sell](https://a.example) your data.")
    assert invoke(project, "release", "--effective", "2024-07-01", "--summary", "x")[0] == 0
    edit_draft(project, "(https://a.example)", "(https://b.example)")
    code, _, err = invoke(project, "release", "--effective", "2024-07-02", "--summary", "x", "--republish")
    assert code == 2 and "link target https://a.example → https://b.example" in err


def test_nothing_to_republish_without_a_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    project = read_project(copy_project(tmp_path / "p", FIXTURES / "valid-tiny"))
    code, _, err = invoke(project, "release", "--effective", "2024-07-01", "--summary", "x", "--republish")
    assert code == 2 and "nothing to republish yet" in err


def test_lock_with_an_unknown_kind_is_refused(project: ProjectOptions) -> None:
    lock = project.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"][-1]["kind"] = "rewrite"
    lock.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = invoke(project, "versions")
    assert code == 2 and "has kind 'rewrite'; the only kind is 'republication'" in err

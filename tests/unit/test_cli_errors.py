"""Bad input and bad environments end as `ERROR:` lines and an exit code, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyforge.audit import browser
from policyforge.cli.main import main
from policyforge.source.options import read_project
from tests.conftest import FIXTURES, copy_project, invoke

TINY = FIXTURES / "valid-tiny"


def run(*args: str) -> tuple[int, str]:
    result = invoke(main, list(args))
    return result.exit_code, result.stderr


def test_mkdocs_yml_that_is_not_a_mapping(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("- just\n- a list\n")
    code, err = run("check", "-f", str(config))
    assert code == 2 and "expected a mapping" in err and err.startswith("ERROR: ")


def test_missing_mkdocs_yml(tmp_path: Path) -> None:
    code, err = run("build", "-f", str(tmp_path / "nope.yml"))
    assert code == 2 and "not found" in err


def test_schema_into_missing_folder(tmp_path: Path) -> None:
    code, err = run("schema", "-f", str(TINY / "mkdocs.yml"), "--out", str(tmp_path / "no" / "such" / "s.json"))
    assert code == 2 and err.startswith("ERROR: cannot write")


def test_widget_onto_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = run("widget", "-f", str(TINY / "mkdocs.yml"), "--out", str(blocker))
    assert code == 2 and "cannot write the banner" in err


def test_env_tag_in_mkdocs_yml_is_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_project(tmp_path / "p", TINY)
    text = config.read_text().replace(
        "site_url: https://fixture.example/", "site_url: !ENV [PF_TEST_SITE_URL, 'https://default.example/']"
    )
    config.write_text(text)
    assert read_project(config).site_url == "https://default.example/"
    monkeypatch.setenv("PF_TEST_SITE_URL", "https://env.example/privacy")
    options = read_project(config)
    assert options.url("consent/consent.js") == "https://env.example/privacy/consent/consent.js"


def test_build_refuses_lint_errors(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "lint-non-essential-required")
    result = invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 1
    assert "[non-essential-required]" in result.stderr and "nothing was built" in result.stderr
    assert not (tmp_path / "p" / "site").exists()


def test_directory_urls_are_required(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", TINY)
    config.write_text(config.read_text() + "use_directory_urls: false\n")
    code, err = run("build", "-f", str(config))
    assert code == 2 and "use_directory_urls" in err


def test_sandbox_is_only_disabled_for_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--no-sandbox" not in browser.launch_args()["args"]  # type: ignore[operator]
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert "--no-sandbox" in browser.launch_args()["args"]  # type: ignore[operator]


def test_unusable_site_dir_is_an_error_and_deletes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", TINY).parent
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    before = sorted(p.name for p in project.iterdir())
    code, err = run("build", "-f", str(project / "mkdocs.yml"), "--site-dir", str(blocker / "site"))
    assert code == 2 and "cannot create a build folder" in err
    assert sorted(p.name for p in project.iterdir()) == before
    assert blocker.read_text() == "x"

"""Whole builds through every entry point: what `policyforge build` prints, and the gates that
`policyforge build`, the library's `build()` and a plain `mkdocs build` all apply."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import policyforge
from policyforge.cli.main import main
from policyforge.history.dates import TODAY_ENV
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, copy_project, invoke
from tests.helpers import example_with_a_failing_release

BIN = Path(sys.executable).parent
LINT_FIXTURE = FIXTURES / "lint-non-essential-required"
TODAY = "2024-07-01"  # after the history-basic fixture's newest release (2024-06-01)


def run(options: ProjectOptions, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [args[0], "-f", str(options.config_file), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def edit(options: ProjectOptions, old: str, new: str) -> None:
    text = options.policy_file.read_text(encoding="utf-8")
    assert old in text
    options.policy_file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def multidoc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "multidoc", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    return tmp_path / "p"


@pytest.mark.parametrize("command", ["policyforge", "mkdocs"])
def test_every_build_command_refuses_a_draft_with_lint_errors(command: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", LINT_FIXTURE).parent
    (project / "docs").mkdir(exist_ok=True)  # plain MkDocs wants its docs_dir
    result = subprocess.run(
        [str(BIN / command), "build"], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "[non-essential-required]" in result.stderr and "nothing was built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_library_build_refuses_what_the_cli_refuses_and_returns_what_it_built(tmp_path: Path) -> None:
    refused = copy_project(tmp_path / "lint", LINT_FIXTURE)
    with pytest.raises(policyforge.LintError) as caught:
        policyforge.build(refused)
    assert caught.value.failing == 1 and "[non-essential-required]" in str(caught.value)
    assert not (refused.parent / "site").exists()
    built = policyforge.build(copy_project(tmp_path / "tiny", FIXTURES / "valid-tiny"))
    assert built.site_dir.samefile(tmp_path / "tiny" / "site")
    assert built.pages == sum(1 for _ in built.site_dir.rglob("index.html")) > 0
    assert (built.site_dir / "consent" / built.banner).is_file()
    assert [f.rule for f in built.lint] == ["record-cookie-undeclared"]  # a warning: built, and returned
    assert built.inputs.revision in (built.site_dir / "consent" / "consent.js").read_text("utf-8")


def test_build_lints_the_main_document_from_its_own_folder(multidoc: Path) -> None:
    """The fixture has no policy_source/: build and schema use the consent document's folder."""
    result = invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (multidoc / "site" / "terms" / "index.html").is_file() and (multidoc / "site" / "consent").is_dir()
    assert not (multidoc / "policy_source").exists()
    assert invoke(main, ["schema"]).exit_code == 0
    assert (multidoc / "privacy_source" / "policy.schema.json").is_file()


def test_lint_errors_in_a_release_are_reported_not_fatal(tmp_path: Path) -> None:
    project = example_with_a_failing_release(tmp_path / "p")
    result = invoke(main, ["build", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "[lifetime-too-long]" in result.stderr and "release a corrected version" in result.stderr


def test_build_publishes_the_upcoming_banner_named_in_the_handoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY)
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))
    edit(options, "duration: 1 year}", "duration: 2 years}")
    code, out, _ = run(options, "release", "--effective", "2099-01-01", "--summary", "Longer cookie.")
    assert code == 0
    name = re.search(r"consent/(consent\.[0-9a-f]{10}\.js)", out)
    assert name is not None
    note = (options.source / "versions" / "2099-01-01.handoff.md").read_text(encoding="utf-8")
    assert name.group(1) in note and "**Yes, from January 1, 2099 (2099-01-01).**" in note
    assert (
        "- **Changed** category `analytics` (Analytics): cookies changed: `_tiny_stats` (duration 1 year → 2 years)."
    ) in note
    code, out, err = run(options, "build", "--site-dir", str(tmp_path / "site"))
    assert code == 0, err
    assert f"Published ahead: consent/{name.group(1)}, the banner of the release 2099-01-01" in out
    site = tmp_path / "site"
    upcoming = site / "consent" / name.group(1)
    assert upcoming.is_file()  # ahead of 2099-01-01, next to the banner in effect

    # the cookie table is the second stage's, which each first stage names
    def table(first: Path) -> str:
        second = re.search(r"consent\.settings\.[0-9a-f]{10}\.js", first.read_text(encoding="utf-8"))
        assert second is not None
        return (site / "consent" / second.group(0)).read_text(encoding="utf-8")

    assert "2 years" in table(upcoming)
    assert "2 years" not in table(site / "consent" / "consent.js")


def test_an_editorial_release_publishes_the_same_pinned_banner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY)
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))
    code, _, err = run(options, "build", "--site-dir", str(tmp_path / "before"))
    assert code == 0, err
    before = sorted(p.name for p in (tmp_path / "before" / "consent").glob("consent.*.js"))
    edit(options, "We never sell", "We do not sell")  # wording outside the cookie section
    code, _, err = run(options, "release", "--effective", "2099-01-01", "--summary", "Rewords selling.")
    assert code == 0, err
    note = (options.source / "versions" / "2099-01-01.handoff.md").read_text(encoding="utf-8")
    assert note.splitlines()[0] == "# Hand-off 2099-01-01: nothing for the product team to do"
    code, out, err = run(options, "build", "--site-dir", str(tmp_path / "after"))
    assert code == 0, err
    assert "Published ahead" not in out  # no new file to swap to
    after = sorted(p.name for p in (tmp_path / "after" / "consent").glob("consent.*.js"))
    # the upcoming release's pinned file (and the second stage it names) is the one in effect
    assert after == before and len(after) == 2 and after[1].startswith("consent.settings.")
    pinned = (tmp_path / "after" / "consent" / after[0]).read_bytes()
    assert pinned == (tmp_path / "before" / "consent" / before[0]).read_bytes()

"""``policyforge import --history``: a folder of dated files and a file's git history become releases in one command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from policyforge.cli import main
from policyforge.history.releases import load_history
from policyforge.site import build as site
from policyforge.source.options import read_project
from tests.conftest import invoke

MKDOCS = (
    "site_name: Imported\nsite_url: https://policy.example/\ntheme:\n  name: material\n  font: false\n"
    "plugins:\n  - policyforge\n"
)

V1 = """# Acme Privacy Policy

Acme Ltd runs acme.example. Write to privacy@acme.example.

## What we collect

- your name
- your e-mail address

## Your rights

You may ask for a copy of your data.
"""
V2 = V1 + "\n## Cookies\n\nWe use one cookie to remember your choice.\n"
# The same text as V2, written as HTML with other formatting: a republication.
V2_HTML = """<h1>Acme Privacy Policy</h1><p>Acme Ltd runs acme.example. Write to privacy@acme.example.</p>
<h2>What we collect</h2><ul><li>your name</li><li>your <b>e-mail</b> address</li></ul>
<h2>Your rights</h2><p>You may ask for a copy of your data.</p>
<h2>Cookies</h2><p>We use one cookie to remember your choice.</p>"""
V3 = V2.replace("a copy of your data", "a copy of your data, see [the form](https://acme.example/form)")


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root / "mkdocs.yml"


def folder_of(tmp_path: Path, files: dict[str, str]) -> Path:
    """A folder ``old/`` holding ``files`` (name → text)."""
    folder = tmp_path / "old"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def lock_of(config: Path) -> list[dict[str, object]]:
    versions: list[dict[str, object]] = json.loads(
        (config.parent / "policy_source" / "versions.lock").read_text(encoding="utf-8")
    )["versions"]
    return versions


def republication(entry: dict[str, object]) -> bool:
    return entry.get("kind") == "republication" or entry.get("republished") is True


def test_folder_of_dated_files(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2021-03-01.md").write_text(V1, encoding="utf-8")
    (folder / "2022-01-15.md").write_text(V2, encoding="utf-8")
    (folder / "2022-06-01-privacy.html").write_text(V2_HTML, encoding="utf-8")
    (folder / "privacy-2023-02-01.md").write_text(V3 + "\n![logo](logo.png)\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a version", encoding="utf-8")
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(folder), "-f", str(config), "--controller-name", "Acme Ltd"])
    assert result.exit_code == 0, result.output
    entries = lock_of(config)
    assert [e["effective"] for e in entries] == ["2021-03-01", "2022-01-15", "2022-06-01", "2023-02-01"]
    assert [e["published"] for e in entries] == ["2021-03-01", "2022-01-15", "2022-06-01", "2023-02-01"]
    assert [republication(e) for e in entries] == [False, False, True, False]
    assert entries[0]["summary"] == "Imported from 2021-03-01.md."
    assert "Republished, no change in text" in str(entries[2]["summary"])
    # the one construct that could not be carried over is reported with its version and line
    line = (V3 + "\n![logo](logo.png)\n").splitlines().index("![logo](logo.png)") + 1
    assert f"privacy-2023-02-01.md:{line}: image kept as written" in result.output
    assert "Imported 4 version(s)" in result.output and "(1 republication(s))" in result.output
    options = read_project(config)
    history = load_history(options)
    newest = history.releases[-1].policy
    assert [s.id for s in newest.sections] == ["what-we-collect", "your-rights", "cookies"]
    assert [s.id for s in history.releases[0].policy.sections] == ["what-we-collect", "your-rights"]
    assert newest.controller.name == "Acme Ltd" and newest.controller.email == "privacy@acme.example"
    assert "https://acme.example/form" in (options.policy_file.read_text(encoding="utf-8"))
    pages = site.generate_pages(site.prepare(options))  # what a build would publish, without building
    for day in ("2021-03-01", "2022-06-01", "2023-02-01"):
        assert f"versions/{day}.md" in pages


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Legal",
        "GIT_AUTHOR_EMAIL": "legal@acme.example",
        "GIT_COMMITTER_NAME": "Legal",
        "GIT_COMMITTER_EMAIL": "legal@acme.example",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date is not None:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_file_in_a_git_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    doc = repo / "privacy.md"
    steps = [
        (V1, "First privacy policy", "2020-05-04T10:00:00+02:00"),
        (V2.replace("one cookie", "a cookie"), "Add a cookie section", "2021-07-01T09:00:00+00:00"),
        (V2, "Fix wording of the cookie section", "2021-07-01T17:30:00+00:00"),
        (V2 + "\n", "Trailing newline only", "2021-09-09T12:00:00+00:00"),
        (V3, "Link the request form", "2022-11-30T08:00:00+00:00"),
    ]
    for n, (text, message, date) in enumerate(steps):
        doc.write_text(text, encoding="utf-8")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", message, date=date)
        if n == 1:  # a commit that does not touch the policy is no version
            (repo / "README.md").write_text("readme", encoding="utf-8")
            _git(repo, "add", "-A")
            _git(repo, "commit", "-q", "-m", "Unrelated", date="2021-08-01T12:00:00+00:00")
    _git(repo, "mv", "privacy.md", "policy.md")
    _git(repo, "commit", "-q", "-m", "Rename the file", date="2023-01-10T12:00:00+00:00")
    config = project(tmp_path)
    result = invoke(
        main, ["import", "--history", str(repo / "policy.md"), "-f", str(config), "--controller-name", "Acme Ltd"]
    )
    assert result.exit_code == 0, result.output
    entries = lock_of(config)
    assert [e["effective"] for e in entries] == ["2020-05-04", "2021-07-01", "2021-09-09", "2022-11-30", "2023-01-10"]
    assert entries[0]["summary"] == "First privacy policy"
    # two commits on one day: one version, the day's last text, both messages
    assert entries[1]["summary"] == "Add a cookie section; Fix wording of the cookie section"
    assert "one cookie" in (config.parent / "policy_source" / "versions" / "2021-07-01.yaml").read_text()
    assert [republication(e) for e in entries] == [False, False, True, False, True]
    assert "Imported 5 version(s)" in result.output


def test_existing_policy_needs_force_and_history_must_be_first(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2021-03-01.md").write_text(V1, encoding="utf-8")
    config = project(tmp_path)
    source = config.parent / "policy_source"
    source.mkdir()
    (source / "policy.yaml").write_text("title: mine\n", encoding="utf-8")
    refused = invoke(main, ["import", "--history", str(folder), "-f", str(config)])
    assert refused.exit_code == 2
    assert "policy_source/policy.yaml exists; importing replaces it" in refused.output
    assert (source / "policy.yaml").read_text() == "title: mine\n"
    assert (
        invoke(
            main, ["import", "--history", str(folder), "-f", str(config), "--force", "--controller-name", "Acme Ltd"]
        ).exit_code
        == 0
    )
    again = invoke(
        main, ["import", "--history", str(folder), "-f", str(config), "--force", "--controller-name", "Acme Ltd"]
    )
    assert again.exit_code == 2
    assert "already lists 1 release(s): an imported history must be the first one" in again.output
    assert len(lock_of(config)) == 1


def test_folder_with_two_files_of_one_day(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"2021-03-01.md": V1, "2021-03-01.html": V2_HTML})
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(folder), "-f", str(config)])
    assert result.exit_code == 2
    assert "2021-03-01.html and 2021-03-01.md have the same date 2021-03-01: one version per day" in result.output
    assert not (config.parent / "policy_source").exists()


def test_a_failing_release_puts_the_project_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyforge.errors import ReleaseError
    from policyforge.importer import history_import

    folder = tmp_path / "old"
    folder.mkdir()
    for day, text in (("2021-03-01", V1), ("2022-01-15", V2), ("2023-02-01", V3)):
        (folder / f"{day}.md").write_text(text, encoding="utf-8")
    config = project(tmp_path)
    source = config.parent / "policy_source"
    source.mkdir()
    (source / "policy.yaml").write_text("title: before\n", encoding="utf-8")
    real = history_import.release
    calls: list[object] = []

    def third_fails(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 3:
            raise ReleaseError("disk full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history_import, "release", third_fails)
    result = invoke(
        main, ["import", "--history", str(folder), "-f", str(config), "--force", "--controller-name", "Acme Ltd"]
    )
    assert result.exit_code == 2 and "ERROR: disk full" in result.output
    assert (source / "policy.yaml").read_text(encoding="utf-8") == "title: before\n"
    assert not (source / "versions.lock").exists()
    assert not (source / "versions").exists()


def test_progress_only_on_a_terminal_without_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policyforge.cli.importer import _Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    shown = Tty()
    progress = _Progress(shown)
    progress(1, 45, "releasing 2021-03-01")
    progress(2, 45, "releasing 2021-04-01")
    progress.done()
    assert "\r[1/45] releasing 2021-03-01" in shown.getvalue() and "[2/45]" in shown.getvalue()
    assert shown.getvalue().endswith("\r")
    piped = io.StringIO()
    _Progress(piped)(1, 2, "x")
    monkeypatch.setenv("CI", "true")
    ci = Tty()
    _Progress(ci)(1, 2, "x")
    assert piped.getvalue() == "" and ci.getvalue() == ""


def test_a_renamed_section_keeps_its_id(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2021-03-01.md").write_text(V2, encoding="utf-8")
    renamed = V2.replace("## Your rights", "## Your rights under the GDPR").replace("## Cookies", "## Storage")
    renamed = renamed.replace("We use one cookie to remember your choice.", "Nothing is stored on your device.")
    (folder / "2022-03-01.md").write_text(renamed, encoding="utf-8")
    config = project(tmp_path)
    assert (
        invoke(main, ["import", "--history", str(folder), "-f", str(config), "--controller-name", "Acme Ltd"]).exit_code
        == 0
    )
    history = load_history(read_project(config))
    old, new = (r.policy for r in history.releases)
    assert [s.id for s in old.sections] == ["what-we-collect", "your-rights", "cookies"]
    # same body, new title: the id stays; a new body under a new title is a new section
    assert [(s.id, s.title) for s in new.sections] == [
        ("what-we-collect", "What we collect"),
        ("your-rights", "Your rights under the GDPR"),
        ("storage", "Storage"),
    ]


def test_imported_versions_are_released_without_translations(tmp_path: Path) -> None:
    """A translation is of today's text: the import freezes none with the old versions, and does not read it."""
    folder = folder_of(tmp_path, {"2021-03-01.md": V1, "2022-01-15.md": V2})
    config = project(tmp_path)
    config.write_text(MKDOCS.replace("  - policyforge\n", "  - policyforge:\n      translations: [de]\n"), "utf-8")
    live = config.parent / "policy_source" / "translations" / "de.yaml"
    live.parent.mkdir(parents=True)
    live.write_text("sections:\n  not-in-any-version:\n    title: Nicht da\n", encoding="utf-8")
    result = invoke(main, ["import", "--history", str(folder), "-f", str(config), "--controller-name", "Acme Ltd"])
    assert result.exit_code == 0, result.output
    assert [e.get("translations") for e in lock_of(config)] == [None, None]
    assert sorted(p.name for p in (config.parent / "policy_source" / "versions").iterdir()) == [
        "2021-03-01.yaml",
        "2022-01-15.yaml",
    ]


def test_a_history_needs_the_names_its_documents_do_not_give(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"2021-03-01.md": V1.replace("# Acme Privacy Policy", "# Privacy Policy")})
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(folder), "-f", str(config)])
    assert result.exit_code == 2
    assert (
        "ERROR: the documents do not say the product's name or the controller's legal name, and a release cannot "
        "hold a placeholder" in result.output
    )
    assert "pass --product and --controller-name" in result.output
    assert not (config.parent / "policy_source").exists()

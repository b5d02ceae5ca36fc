"""The build stays in its lane: links are never followed, sources are never replaced, dotfiles are kept."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, copy_project

TINY = FIXTURES / "valid-tiny"
SECRET = "pf-deploy-token-6f1e"


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PF_TEST_DEPLOY_TOKEN": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "policyforge", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", TINY).parent


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_links_in_the_previous_consent_folder_are_skipped(project: Path, tmp_path: Path) -> None:
    assert build(project).returncode == 0
    consent = project / "site" / "consent"
    outside = tmp_path / "outside.js"
    outside.write_text(f"// {SECRET}\n")
    (consent / "consent.0123456789.js").symlink_to("/proc/self/environ")
    (consent / "consent.abcdefabcd.js").symlink_to(outside)
    (consent / "consent.1111111111.js").write_text("/* an earlier banner */\n")
    (consent / "consent.settings.2222222222.js").write_text("/* an earlier stage */\n")
    (consent / "consent.de.3333333333.js").write_text("/* an earlier stage */\n")
    run = build(project)
    assert run.returncode == 0, run.stderr
    assert "skipped" in run.stderr and "consent.0123456789.js" in run.stderr and "consent.abcdefabcd.js" in run.stderr
    names = sorted(p.name for p in consent.iterdir())
    assert "consent.0123456789.js" not in names and "consent.abcdefabcd.js" not in names
    assert (consent / "consent.1111111111.js").read_text() == "/* an earlier banner */\n"
    # an earlier banner's second stage and other languages' first stages too: a pinned snippet still works whole
    for name in ("consent.settings.2222222222.js", "consent.de.3333333333.js"):
        assert (consent / name).read_text() == "/* an earlier stage */\n", name
    assert not any(p.is_symlink() for p in (project / "site").rglob("*"))
    assert not [name for name, data in files_of(project / "site").items() if SECRET.encode() in data]


def test_a_linked_consent_folder_is_not_read(project: Path, tmp_path: Path) -> None:
    assert build(project).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "consent.2222222222.js").write_text(f"// {SECRET}\n")
    site = project / "site"
    for p in (site / "consent").iterdir():
        p.unlink()
    (site / "consent").rmdir()
    (site / "consent").symlink_to(elsewhere)
    run = build(project)
    assert run.returncode == 0 and "symbolic link" in run.stderr
    assert not (site / "consent" / "consent.2222222222.js").exists()
    assert (elsewhere / "consent.2222222222.js").is_file()  # the link's target is left alone


@pytest.mark.parametrize(
    ("site_dir", "reason"),
    [
        ("policy_source", "is the policy source"),
        ("policy_source/site", "sits inside the policy source"),
        ("docs", "is the docs folder"),
        ("docs/out", "sits inside the docs folder"),
        (".", "is the project folder"),
        ("..", "contains the project folder"),
    ],
)
def test_dangerous_site_dir_is_refused(project: Path, site_dir: str, reason: str) -> None:
    before = files_of(project.parent)
    run = build(project, "--site-dir", site_dir)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "ERROR: site_dir " in run.stderr and reason in run.stderr and "Traceback" not in run.stderr
    assert files_of(project.parent) == before
    assert not [p for p in project.parent.rglob(".*.tmp")]


def test_site_dir_that_is_another_project_is_refused(project: Path, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "other", TINY).parent
    before = files_of(other)
    run = build(project, "--site-dir", str(other / "policy_source"))
    assert run.returncode == 2 and "holds policy.yaml, so it is a source folder" in run.stderr
    run = build(project, "--site-dir", str(other))
    assert run.returncode == 2 and "holds mkdocs.yml" in run.stderr
    assert files_of(other) == before


def test_site_dir_holding_the_source_is_refused_from_mkdocs_yml(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "site_dir: policy_source\n")
    run = build(project)
    assert run.returncode == 2 and "is the policy source" in run.stderr
    assert (project / "policy_source" / "policy.yaml").is_file()


def test_symlinked_site_dir_is_refused_unless_allowed(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("precious")
    (project / "site").symlink_to(other)
    run = build(project)
    assert run.returncode == 2 and "is a symbolic link" in run.stderr and "allow_symlinked_site_dir" in run.stderr
    assert (other / "keep.txt").read_text() == "precious"
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - policyforge\n", "  - policyforge:\n      allow_symlinked_site_dir: true\n")
    )
    run = build(project)
    assert run.returncode == 0, run.stderr
    assert (project / "site").is_symlink() and (other / "index.html").is_file() and not (other / "keep.txt").exists()


def test_symlink_to_the_source_is_refused_even_when_links_are_allowed(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - policyforge\n", "  - policyforge:\n      allow_symlinked_site_dir: true\n")
    )
    (project / "site").symlink_to(project / "policy_source")
    run = build(project)
    assert run.returncode == 2 and "is the policy source" in run.stderr
    assert (project / "policy_source" / "policy.yaml").is_file()


def test_dotfiles_of_the_previous_site_are_kept(project: Path) -> None:
    assert build(project).returncode == 0
    site = project / "site"
    (site / ".nojekyll").write_text("")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "stale.html").write_text("old page")
    run = build(project)
    assert run.returncode == 0, run.stderr
    assert (site / ".nojekyll").is_file() and (site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert not (site / "stale.html").exists()  # everything else is rebuilt
    assert (site / ".well-known" / "gpc.json").is_file()


def test_every_text_file_is_written_byte_exact() -> None:
    """``write_text``/``open(..., "w")`` in the package pass ``newline=""``: the banner's hash holds on Windows."""
    offenders = []
    for path in (ROOT / "policyforge").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            mode = next((a.value for a in node.args[1:2] if isinstance(a, ast.Constant)), None)
            writes = name == "write_text" or (
                name in ("open", "fdopen") and isinstance(mode, str) and "w" in mode and "b" not in mode
            )
            keywords = {k.arg: k.value for k in node.keywords}
            newline = keywords.get("newline")
            if writes and not (isinstance(newline, ast.Constant) and newline.value == ""):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []

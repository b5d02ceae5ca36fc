"""Building the example: same output three ways, the expected HTML, and atomic failure."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project
from tests.helpers import tree

BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_three_commands_build_the_same_site(tmp_path: Path) -> None:
    sites = {}
    for name, cmd in {
        "cli": [str(BIN / "policyforge"), "build"],
        "shim": [sys.executable, str(ROOT / "build.py")],
        "mkdocs": [str(BIN / "mkdocs"), "build", "-q"],
    }.items():
        project = copy_project(tmp_path / name).parent
        result = run(cmd, project)
        assert result.returncode == 0, result.stderr
        sites[name] = tree(project / "site")
    assert len(sites["cli"]) > 10
    assert sites["cli"] == sites["shim"] == sites["mkdocs"]


def test_policy_page_html(built_example: Path) -> None:
    html = (built_example / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="introduction">' in html and '<h3 id="cookies">' in html
    assert re.search(r'<span class="pf-num">2\.4</span> Cookies and Tracking', html)
    assert re.search(r'<span class="pf-num">12\.</span> Contact Us', html)
    assert '<a href="mailto:contact@gptimage2ai.com">contact@gptimage2ai.com</a>' in html
    assert 'class="pf-quickref"' in html and "Last Updated" in html
    assert 'data-md-color-scheme="slate"' in html or '"slate"' in html
    assert "fonts.googleapis.com" not in html
    assert "data-policyforge-settings" in html and "consent/consent.js" in html
    toc = html[html.index('data-md-component="toc"') :]
    assert 'href="#cookies"' in toc and 'href="#introduction"' in toc


def test_gpc_well_known(built_example: Path) -> None:
    data = json.loads((built_example / ".well-known" / "gpc.json").read_text(encoding="utf-8"))
    assert data["gpc"] is True
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["lastUpdate"])


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p").parent
    assert run([str(BIN / "policyforge"), "build"], project).returncode == 0
    before = tree(project / "site")
    policy = project / "policy_source" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("id: payments", "id: Payments!"), encoding="utf-8")
    for cmd in ([str(BIN / "policyforge"), "build"], [str(BIN / "mkdocs"), "build", "-q"]):
        result = run(cmd, project)
        assert result.returncode != 0
        assert "is not a valid id" in result.stderr and "Traceback" not in result.stderr
        assert tree(project / "site") == before
        assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", ["valid-tiny"])
def test_fixture_project_builds(name: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / name, ROOT / "tests" / "fixtures" / name).parent
    result = run([str(BIN / "policyforge"), "build"], project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Privacy Policy — Tiny App" in html and 'id="cookies"' in html

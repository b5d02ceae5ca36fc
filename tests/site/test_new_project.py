"""`policyforge new DIR`: a project that builds a site of the policy alone, whose placeholders
`check` lists with their lines and `release` refuses (issue 24, "a clean start")."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def policyforge(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "policyforge"), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``policyforge new acme``, then ``policyforge build`` in it, as the README says."""
    where = tmp_path_factory.mktemp("new")
    made = policyforge("new", "acme", cwd=where)
    assert made.returncode == 0, made.stderr
    built = policyforge("build", cwd=where / "acme")
    assert built.returncode == 0, built.stderr
    assert "Built site/" in built.stdout
    return where / "acme"


def _doc_titles() -> set[str]:
    """The title of every page of policyforge's own documentation (docs/*.md)."""
    titles = set()
    for page in (ROOT / "docs").glob("*.md"):
        first = page.read_text(encoding="utf-8").lstrip().splitlines()[0]
        titles.add(first.removeprefix("# ").strip())
    return titles


def _todo_lines(policy: Path) -> list[int]:
    """The lines of the skeleton that hold a placeholder: each TODO value and the example.com address."""
    return [
        n
        for n, line in enumerate(policy.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("#") and ("TODO" in line or "@example.com" in line)
    ]


def test_the_site_of_a_new_project_publishes_no_page_of_policyforges_documentation(acme: Path) -> None:
    site = acme / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    titles = {
        html.unescape(m.group(1)).split(" - ")[0].strip()
        for p in site.rglob("*.html")
        if (m := re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8"), re.S))
    }
    docs = _doc_titles()
    assert {"Lint rules", "Command line", "Python API", "Security"} <= docs, docs
    assert titles & docs == set(), (titles, pages)
    stems = {p.stem for p in (ROOT / "docs").glob("*.md")}
    assert not [p for p in pages if set(p.split("/")) & stems], pages
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    located = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert located == {""}, located  # the search finds the policy page and nothing else
    policy = (site / "index.html").read_text(encoding="utf-8")
    assert "TODO: who you are, what Your Product is" in policy  # a placeholder shows on the draft's page


def test_check_lists_every_placeholder_with_its_line_and_strict_fails(acme: Path) -> None:
    checked = policyforge("check", cwd=acme)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("OK: policy_source/policy.yaml is valid")
    found = [
        int(m.group(1))
        for line in checked.stderr.splitlines()
        if (m := re.match(r"policy_source/policy\.yaml:(\d+): warning: .* \[placeholder\]$", line))
    ]
    expected = _todo_lines(acme / "policy_source" / "policy.yaml")
    assert found == expected and len(expected) >= 12
    others = [line for line in checked.stderr.splitlines() if "[placeholder]" not in line]
    assert others == []  # the skeleton passes every other rule, the completeness check included
    assert policyforge("check", "--strict", cwd=acme).returncode == 1


def test_release_refuses_the_placeholders_and_accepts_them_written(acme: Path, tmp_path: Path) -> None:
    refused = policyforge("release", "--effective", "2999-01-01", "--summary", "First version.", cwd=acme)
    assert refused.returncode == 2
    assert "placeholder" in refused.stderr and "Traceback" not in refused.stderr
    for n in _todo_lines(acme / "policy_source" / "policy.yaml"):
        assert f"policy_source/policy.yaml:{n}: " in refused.stderr
    assert not (acme / "policy_source" / "versions").exists()
    assert not (acme / "policy_source" / "versions.lock").exists()
    # Written in, the same skeleton is a complete policy: nothing is left to check, and it releases.
    policy = acme / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    text = re.sub(r"TODO: [^\"\n]*", "Written by the editor.", text).replace("@example.com", "@acme.test")
    policy.write_text(text, encoding="utf-8")
    strict = policyforge("check", "--strict", cwd=acme)
    assert strict.returncode == 0, strict.stderr
    released = policyforge("release", "--effective", "2999-01-01", "--summary", "First version.", cwd=acme)
    assert released.returncode == 0, released.stderr
    assert (acme / "policy_source" / "versions" / "2999-01-01.yaml").is_file()


def test_new_refuses_a_folder_that_holds_anything(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = policyforge("new", "acme", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("ERROR: acme already exists and is not an empty folder")
    assert "hint: " in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == ["notes.txt"]


def test_the_skeleton_shows_its_facts_on_the_page(acme: Path) -> None:
    """What the skeleton declares as facts is on its page, placeholders included: the controller and its
    authority, each activity's legal basis and retention, the recipients and the rights the bases call for."""
    policy = (acme / "site" / "index.html").read_text(encoding="utf-8")
    for placeholder in (
        "TODO: the legal name of the organisation responsible for the data",  # include: controller
        "TODO: the data protection authority people may complain to",
        "TODO: how long account data is kept, or the criteria that decide it",  # include: processing
        "TODO: the legal name of the company hosting the service",  # include: recipients
    ):
        assert placeholder in policy, placeholder
    assert "Art. 77" in policy  # include: rights: the complaint to the authority every notice owes

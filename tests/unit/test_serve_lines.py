"""What `policyforge serve` prints after each build (the browser test covers the problem page itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.errors import Problem, SourceError
from policyforge.mkdocs_plugin.serving import LOGGER_NAME, ServeState


def printed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME]


def test_lines_after_a_good_build_name_address_draft_and_what_is_watched(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "policy_source").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    state = ServeState()
    state.start_build(
        root=tmp_path, draft=True, watched=[tmp_path / "policy_source", tmp_path / "docs", tmp_path / "mkdocs.yml"]
    )
    caplog.set_level("INFO", LOGGER_NAME)
    state.finish(tmp_path / "site", "http://127.0.0.1:8001/", ["policy_source/policy.yaml:18: warning: \x1b[2Jmoved"])
    assert printed(caplog) == [
        "policy_source/policy.yaml:18: warning: [2Jmoved",  # no escape character reaches the terminal
        "Serving the policy at http://127.0.0.1:8001/",
        "Draft (policy.yaml as you edit it): http://127.0.0.1:8001/draft/",
        "Watching policy_source/, docs/, mkdocs.yml (rebuilds on every save)",
    ]
    state.start_build(root=tmp_path, draft=False, watched=[tmp_path / "policy_source"])
    assert state.lines("http://127.0.0.1:8001/")[1] == "Draft: not published (--no-draft)"


def test_lines_while_broken_list_the_problems_and_write_problem_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = ServeState()
    state.start_build(root=tmp_path, draft=True, watched=[tmp_path / "policy_source"])
    state.problem = SourceError(
        [Problem("policy_source/policy.yaml", 7, "", "this line contains a tab")], "policy_source"
    )
    caplog.set_level("INFO", LOGGER_NAME)
    state.finish(tmp_path / "site", "http://127.0.0.1:8001/privacy/")
    lines = printed(caplog)
    assert lines[:3] == [
        "policy_source/policy.yaml:7: this line contains a tab",
        "ERROR: 1 problem in policy_source",
        "Problem page: every page at http://127.0.0.1:8001/privacy/ lists the problems above until "
        "you fix them; it reloads by itself",
    ]
    for page in ("index.html", "versions/index.html", "draft/index.html"):
        text = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "policy_source/policy.yaml:7" in text and "/privacy/assets/policyforge-problems.js" in text
    assert (tmp_path / "site" / "assets" / "policyforge-problems.js").is_file()

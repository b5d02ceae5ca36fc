"""The banner's identity in a release's hand-off note: the pinned file stays byte-identical across
releases that change nothing the banner shows, and the note's first line says whether to act."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.banner.handoff import EMBEDDING_GUIDE, banner_action, embedding_guide, handoff_note, snippet
from policyforge.history.dates import TODAY_ENV
from policyforge.history.releases import load_history
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, ROOT, copy_project
from tests.unit.test_release_day import edit, run

NEW = "2024-09-01"
TINY_COOKIE = "        - {name: _tiny_stats, provider: Tiny App, purpose: Counts visits, duration: 1 year}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    return read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))


def released(options: ProjectOptions) -> tuple[str, str, str]:
    """Release the draft on NEW; the note, and the pinned file names of the release before and of this one."""
    code, _, err = run(options, "release", "--effective", NEW, "--summary", "A change.")
    assert code == 0, err
    history = load_history(options)
    rel = history.get(NEW)
    before = history.neighbours(rel)[0]
    assert before is not None
    note = (options.source / "versions" / f"{NEW}.handoff.md").read_text(encoding="utf-8")
    assert note == handoff_note(options, history, rel)
    return note, snippet(options, history, before)[0], snippet(options, history, rel)[0]


def test_an_editorial_release_keeps_the_pinned_file_and_asks_for_nothing(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")  # wording outside the cookie section
    note, before, after = released(project)
    assert after == before  # the same bytes: the release date and hash are not in the banner
    assert note.splitlines()[0] == f"# Hand-off {NEW}: nothing for the product team to do"
    assert "Nothing. The banner is unchanged" in note
    assert "swap" not in note and "<script" not in note and "Gate " not in note
    assert EMBEDDING_GUIDE in note


def test_a_banner_text_change_makes_the_swap_optional(project: ProjectOptions) -> None:
    edit(project, "consent:\n", "consent:\n  banner:\n    title: Cookies, briefly\n")
    note, before, after = released(project)
    assert after != before
    assert note.splitlines()[0] == f"# Hand-off {NEW}: nothing required; a snippet swap is optional (banner text only)"
    assert f"swap your snippet for `{after}`" in note and "Gate " not in note
    assert "The stub is the previous release's: only the banner's tag changes." in note  # no CSP change


def test_a_new_cookie_asks_to_gate_its_script_but_never_a_servers(project: ProjectOptions) -> None:
    edit(
        project,
        TINY_COOKIE,
        TINY_COOKIE
        + "        - {name: _tiny_ab, provider: Tiny App, purpose: Tests layouts, duration: 30 days}\n"
        + "        - {name: tiny_srv, provider: Tiny App, purpose: Remembers the test, duration: 30 days,"
        + " set_by: server}\n",
    )
    note, before, after = released(project)
    assert after != before
    assert note.splitlines()[0] == f"# Hand-off {NEW}: action needed from {NEW}"
    assert f"1. On September 1, 2024 ({NEW}), not before, swap your banner snippet for `{after}`" in note
    assert (
        '2. Gate the script or frame that sets `_tiny_ab` (Tiny App) with `data-consent="analytics"` '
        f'(a script: `type="text/plain"`), on September 1, 2024 ({NEW}), not before.'
    ) in note
    assert "sets `tiny_srv`" not in note and "sets `_tiny_stats`" not in note  # a server's; one gated before
    assert "3. Nothing to gate for `tiny_srv`: your server sets them" in note
    assert '<script async src="https://' in note and EMBEDDING_GUIDE in note


def test_a_release_that_declares_a_cookie_asks_to_gate_it(project: ProjectOptions) -> None:
    history = load_history(project)
    first, declares = history.releases  # the second declares the analytics cookie
    assert banner_action(project, history, first) == "required"  # the first release: embed the banner
    note = handoff_note(project, history, declares)
    assert note.splitlines()[0] == f"# Hand-off {declares.date}: action needed from {declares.date}"
    assert 'sets `_tiny_stats` (Tiny App) with `data-consent="analytics"`' in note


def test_the_note_never_asks_to_gate_a_required_cookie_or_the_banners_own_record() -> None:
    """The example's 2025-09-01 release adds `pf_consent` (the record) and `/.__palette` (the theme's) to the
    required category and `_pf_demo_analytics` to analytics: only the last is a script to gate."""
    from tests.conftest import ROOT

    options = read_project(ROOT / "mkdocs.yml")
    history = load_history(options)
    note = handoff_note(options, history, history.get("2025-09-01"))
    gates = [line for line in note.splitlines() if line[:1].isdigit() and "Gate the script" in line]
    assert len(gates) == 1 and "`_pf_demo_analytics`" in gates[0] and 'data-consent="analytics"' in gates[0]


def test_the_note_links_the_guide_the_project_can_stand_behind(project: ProjectOptions) -> None:
    """Its own site's page when the site publishes the guide (the example does), else the repository's file:
    never an address nobody verified."""
    edit(project, "We never sell", "We do not sell")
    note = released(project)[0]
    assert note.rstrip().endswith("the embedding guide, docs/embedding.md in policyforge's repository")
    assert "://" not in note.split("## Are visitors asked again?")[1]  # no web address for the guide
    example = read_project(ROOT / "mkdocs.yml")
    assert example.docs_dir is not None and (example.docs_dir / "embedding.md").is_file()
    assert embedding_guide(example) == "https://privacy.gptimage2ai.com/embedding/"
    assert EMBEDDING_GUIDE == "docs/embedding.md in policyforge's repository"


def test_a_new_cookie_of_a_service_is_gated_by_that_service(project: ProjectOptions) -> None:
    edit(
        project,
        TINY_COOKIE,
        TINY_COOKIE
        + "        - {name: yt_visitor, provider: Google, purpose: Plays videos, duration: P6M}\n"
        + "      services:\n        - {id: youtube, name: YouTube, cookies: [yt_visitor]}\n",
    )
    note, _, _ = released(project)
    assert (
        '2. Gate the script or frame that sets `yt_visitor` (Google) with `data-consent="analytics:youtube"` '
        f'(a script: `type="text/plain"`), on September 1, 2024 ({NEW}), not before.'
    ) in note


def test_a_removed_service_asks_to_remove_its_gate(project: ProjectOptions) -> None:
    edit(
        project,
        TINY_COOKIE,
        TINY_COOKIE + "      services:\n        - {id: stats, name: Stats, cookies: [_tiny_stats]}\n",
    )
    released(project)
    edit(project, "      services:\n        - {id: stats, name: Stats, cookies: [_tiny_stats]}\n", "")
    code, _, err = run(project, "release", "--effective", "2024-10-01", "--summary", "No more Stats.")
    assert code == 0, err
    note = (project.source / "versions" / "2024-10-01.handoff.md").read_text(encoding="utf-8")
    assert 'Remove `data-consent="analytics:stats"` and the scripts and frames it gated' in note


def test_a_release_with_the_first_opt_out_region_asks_for_the_region_attribute(project: ProjectOptions) -> None:
    edit(project, "consent:\n", "consent:\n  regions: {eu: opt-in, us-ca: opt-out}\n")
    note, before, after = released(project)
    assert after != before  # regional rules are consent-relevant
    assert note.splitlines()[0] == f"# Hand-off {NEW}: action needed from {NEW}"
    assert "2. Write the visitor's region into the snippet's `data-region` (`US-CA`" in note

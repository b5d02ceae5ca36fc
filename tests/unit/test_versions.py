"""Releases, the lock file and its verification, and the version CLI commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import BuildError, LockError, ReleaseError, SourceError
from policyforge.history.dates import TODAY_ENV, build_today
from policyforge.history.release import release, set_dates
from policyforge.history.releases import load_history, same_content
from policyforge.source.loader import load_policy
from policyforge.source.model import Controller, Section
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, ROOT, copy_project
from tests.conftest import invoke as invoke_cli

RELEASE_DAY = "2024-07-01"  # "today" while the tests release: after the fixture's newest release


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    """A tmp copy of the two-release fixture project, on :data:`RELEASE_DAY`."""
    monkeypatch.setenv(TODAY_ENV, RELEASE_DAY)
    return read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fixture_history_verifies(project: ProjectOptions) -> None:
    history = load_history(project)
    assert [r.date for r in history] == ["2024-01-01", "2024-06-01"]
    assert [r.consent_relevant for r in history] == [False, True]
    newest = history.newest
    assert newest is not None and newest.policy.effective == dt.date(2024, 6, 1)
    assert (project.source / "policy.yaml").read_bytes() == (project.source / newest.file).read_bytes()


def test_example_history_starts_with_the_seed_and_ends_with_policy_yaml() -> None:
    options = read_project(ROOT / "mkdocs.yml")
    history = load_history(options)
    assert [r.date for r in history.releases] == ["2025-03-01", "2025-09-01", "2026-12-06"]
    amendment, newest = history.releases[-2], history.releases[-1]
    assert "sample amendment" in amendment.summary.lower() and "demonstrate policyforge" in amendment.summary
    assert amendment.consent_relevant and not newest.consent_relevant
    draft = load_policy(options.source / "policy.yaml")
    assert draft == newest.policy  # policy.yaml is the release in effect: nothing is waiting to be released
    # The newest is the amendment plus the facts stated as data (processing, recipients, the controller's
    # parties, the categories' activities, the sections that include their tables) and its cookie durations
    # written as periods of the same words.
    controller = Controller(name=draft.controller.name, email=draft.controller.email)
    assert draft.consent is not None and draft.processing and draft.recipients
    words = {"P180D": "180 days", "P1Y": "1 year"}
    categories = tuple(
        c.model_copy(
            update={
                "activity": None,
                "cookies": tuple(
                    k.model_copy(update={"duration": words.get(k.duration, k.duration)}) for k in c.cookies
                ),
            }
        )
        for c in draft.consent.categories
    )
    consent = draft.consent.model_copy(update={"categories": categories})
    facts = {"processing": (), "recipients": (), "controller": controller, "consent": consent}
    bare = draft.model_copy(update={**facts, "sections": _without_includes(draft.sections)})
    assert bare == amendment.policy.model_copy(update={"effective": draft.effective, "updated": draft.updated})


def _without_includes(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The sections without the facts' includes (the cookie section's stays)."""
    return tuple(
        s.model_copy(
            update={
                "include": s.include if s.include == "consent-categories" else None,
                "sections": _without_includes(s.sections),
            }
        )
        for s in sections
    )


def test_modified_release_is_refused_with_both_hashes(project: ProjectOptions) -> None:
    target = project.source / "versions" / "2024-01-01.yaml"
    expected = sha(target)
    target.write_text(target.read_text(encoding="utf-8").replace("Tiny App Ltd", "Tiny Corp"), encoding="utf-8")
    with pytest.raises(LockError) as info:
        load_history(project)
    message = str(info.value)
    assert "versions/2024-01-01.yaml" in message
    assert expected in message and sha(target) in message
    assert "new version" in info.value.hint and "restore the file" in info.value.hint


def test_lock_entry_without_file(project: ProjectOptions) -> None:
    target = project.source / "versions" / "2024-01-01.yaml"
    expected = sha(target)
    target.unlink()
    with pytest.raises(LockError) as info:
        load_history(project)
    assert "versions/2024-01-01.yaml" in str(info.value) and expected in str(info.value)
    assert "missing" in str(info.value)


def test_version_file_without_lock_entry(project: ProjectOptions) -> None:
    stray = project.source / "versions" / "2024-03-01.yaml"
    stray.write_text((project.source / "policy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LockError) as info:
        load_history(project)
    assert "versions/2024-03-01.yaml" in str(info.value) and sha(stray) in str(info.value)
    assert "versions.lock" in str(info.value)


def test_unreadable_lock(project: ProjectOptions) -> None:
    (project.source / "versions.lock").write_text("{not json", encoding="utf-8")
    with pytest.raises(LockError, match=r"versions\.lock"):
        load_history(project)


def edit_draft(options: ProjectOptions, old: str, new: str) -> None:
    path = options.policy_file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_release_freezes_the_draft(project: ProjectOptions) -> None:
    edit_draft(project, "We never sell your data to anyone.", "We never sell or rent your data to anyone.")
    rel = release(project, dt.date(2024, 9, 1), "  Clarifies   that we never rent data. ").release
    frozen = project.source / "versions" / "2024-09-01.yaml"
    text = frozen.read_text(encoding="utf-8")
    # "updated" (shown as Last Updated) is the day of the release, not the effective date
    assert "effective: 2024-09-01\nupdated: 2024-07-01\n" in text and "or rent your data" in text
    assert project.policy_file.read_bytes() == frozen.read_bytes()
    assert rel.published == dt.date(2024, 7, 1) and rel.published_on == dt.date(2024, 7, 1)
    lock = json.loads((project.source / "versions.lock").read_text(encoding="utf-8"))
    assert lock["format"] == 1
    assert list(lock["versions"][-1]) == ["effective", "published", "file", "sha256", "summary"]
    assert "published" not in lock["versions"][0]  # entries written before the field existed stay as they are
    assert lock["versions"][-1] == {
        "effective": "2024-09-01",
        "published": "2024-07-01",
        "file": "versions/2024-09-01.yaml",
        "sha256": sha(frozen),
        "summary": "Clarifies that we never rent data.",
    }
    assert rel.consent_relevant is False  # wording only: the consent revision is unchanged
    assert [r.date for r in load_history(project)][-1] == "2024-09-01"


def test_release_of_a_cookie_change_is_consent_relevant(project: ProjectOptions) -> None:
    edit_draft(project, "duration: 1 year}", "duration: 2 years}")
    assert release(project, dt.date(2024, 9, 1), "Longer analytics cookie.").release.consent_relevant


@pytest.mark.parametrize("day", [dt.date(2024, 6, 1), dt.date(2024, 5, 1)])
def test_release_refuses_a_date_not_after_the_newest(project: ProjectOptions, day: dt.date) -> None:
    edit_draft(project, "We never sell", "We do not sell")
    before = (project.source / "versions.lock").read_bytes()
    with pytest.raises(ReleaseError, match="not after the newest release 2024-06-01"):
        release(project, day, "Too early.")
    assert (project.source / "versions.lock").read_bytes() == before


def test_release_refuses_an_identical_draft_even_with_other_dates(project: ProjectOptions) -> None:
    edit_draft(project, "effective: 2024-06-01", "effective: 2024-07-01")
    with pytest.raises(ReleaseError, match="identical to the newest release"):
        release(project, dt.date(2024, 9, 1), "Nothing new.")
    assert not (project.source / "versions" / "2024-09-01.yaml").exists()


def test_release_refuses_an_invalid_policy(project: ProjectOptions) -> None:
    edit_draft(project, "email: privacy@tiny.example", "email: not-an-address")
    with pytest.raises(SourceError):
        release(project, dt.date(2024, 9, 1), "Broken.")
    assert not (project.source / "versions" / "2024-09-01.yaml").exists()


def test_release_refuses_an_empty_summary(project: ProjectOptions) -> None:
    edit_draft(project, "We never sell", "We do not sell")
    with pytest.raises(ReleaseError, match="summary"):
        release(project, dt.date(2024, 9, 1), "   ")


def test_set_dates_replaces_or_inserts() -> None:
    text = "title: T\nproduct: P\neffective: 2020-01-01\nupdated: 2020-02-02 # old\nsections: []\n"
    assert set_dates(text, dt.date(2021, 3, 4)) == (
        "title: T\nproduct: P\neffective: 2021-03-04\nupdated: 2021-03-04\nsections: []\n"
    )
    inserted = set_dates("title: T\nproduct: P\nsections: []\n", dt.date(2021, 3, 4))
    assert "product: P\n" in inserted and "effective: 2021-03-04" in inserted and "updated: 2021-03-04" in inserted


def test_same_content_ignores_dates(project: ProjectOptions) -> None:
    a, b = (r.policy for r in load_history(project))
    assert not same_content(a, b)
    assert same_content(b, b.model_copy(update={"effective": dt.date(2030, 1, 1), "updated": None}))


# --- CLI ------------------------------------------------------------------------------------


def invoke(options: ProjectOptions, *args: str) -> tuple[int, str, str]:
    assert options.config_file is not None
    result = invoke_cli(main, [args[0], "-f", str(options.config_file), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def test_cli_release_and_versions(project: ProjectOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = invoke(project, "release", "--effective", "2024-06-01", "--summary", "x")
    assert code == 2 and err.startswith("ERROR: ") and "not after the newest release" in err
    code, _, err = invoke(project, "release", "--effective", "2024-13-01", "--summary", "x")
    assert code == 2 and "impossible date: there is no month 13" in err
    edit_draft(project, "We never sell", "We do not sell")
    code, out, _ = invoke(project, "release", "--effective", "2024-12-01", "--summary", "Rewords sharing.")
    assert code == 0 and "versions/2024-12-01.yaml" in out
    monkeypatch.setenv(TODAY_ENV, "2024-12-01")
    code, out, _ = invoke(project, "versions")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["Effective", "Status", "Consent", "Kinds", "Released", "Summary"]
    # released on the day it was made; a wording change is editorial
    assert lines[1].split()[:5] == ["2024-12-01", "current", "no", "editorial", "2024-07-01"]
    assert lines[2].split()[:5] == ["2024-06-01", "archived", "yes", "consent", "2024-06-01"]  # older lock: updated
    assert "Rewords sharing." in lines[1]


def test_cli_versions_fails_on_tampering(project: ProjectOptions) -> None:
    (project.source / "versions" / "2024-01-01.yaml").write_text("title: x\n", encoding="utf-8")
    code, _, err = invoke(project, "versions")
    assert code == 2 and "ERROR:" in err and "2024-01-01.yaml" in err


def test_cli_diff_text_and_json(project: ProjectOptions) -> None:
    code, out, _ = invoke(project, "diff", "2024-01-01", "current")
    assert code == 0 and "\x1b[" not in out
    assert "{+press and the errors you see.+}" in out and "Renamed from Sharing to Sharing With Others." in out
    code, out, _ = invoke(project, "diff", "2024-01-01", "2024-06-01", "--format", "json")
    data = json.loads(out)
    assert data["consent_relevant"] is True and data["old"] == "2024-01-01" and data["new"] == "2024-06-01"
    assert data["summary"].startswith("Sections moved: 1 · Sections renamed: 1 · ")  # the CLI's English
    kinds = {s["id"]: s["kinds"] for s in data["sections"]}
    assert kinds["contact"] == ["moved"] and kinds["sharing"] == ["renamed"] and "changed" in kinds["usage"]
    code, out, _ = invoke(project, "diff", "current", "draft")
    assert code == 0 and "No changes" in out
    code, _, err = invoke(project, "diff", "2023-01-01", "draft")
    assert code == 2 and "2024-01-01, 2024-06-01" in err


# --- Future-dated releases ----------------------------------------------------------------------

TODAY = dt.date(2025, 1, 1)
FUTURE = dt.date(2099, 1, 1)


def release_future(options: ProjectOptions) -> None:
    """Release a consent-relevant change that takes effect on 2099-01-01."""
    edit_draft(options, "duration: 1 year}", "duration: 2 years}")
    release(options, FUTURE, "Longer analytics cookie, announced in advance.")


def test_in_effect_is_the_newest_release_not_after_today(project: ProjectOptions) -> None:
    release_future(project)
    history = load_history(project, today=TODAY)
    assert history.today == TODAY
    newest, current = history.newest, history.in_effect()
    assert newest is not None and newest.date == "2099-01-01"  # release() still checks against it
    assert current is not None and current.date == "2024-06-01"
    assert [r.date for r in history.upcoming()] == ["2099-01-01"]
    assert history.is_upcoming(newest) and not history.is_upcoming(current)
    on_the_day = history.in_effect(FUTURE)
    assert on_the_day is not None and on_the_day.date == "2099-01-01" and history.upcoming(FUTURE) == ()
    assert history.in_effect(dt.date(2023, 12, 31)) is None
    assert len(history.upcoming(dt.date(2023, 12, 31))) == 3
    edit_draft(project, "We never sell", "We do not sell")
    with pytest.raises(ReleaseError, match="not after the newest release 2099-01-01"):
        release(project, dt.date(2098, 1, 1), "Earlier than the upcoming one.")


def test_today_comes_from_the_environment(project: ProjectOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2030-05-06")
    assert build_today() == dt.date(2030, 5, 6) and load_history(project).today == dt.date(2030, 5, 6)
    monkeypatch.delenv(TODAY_ENV)
    assert build_today() == dt.date.today()
    for bad in ("2030-02-30", "20300506", "tomorrow"):
        monkeypatch.setenv(TODAY_ENV, bad)
        with pytest.raises(BuildError, match=TODAY_ENV):
            build_today()


def test_cli_lists_upcoming_versions_and_diffs_the_version_in_effect(
    project: ProjectOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    edit_draft(project, "duration: 1 year}", "duration: 2 years}")
    code, out, _ = invoke(project, "release", "--effective", "2099-01-01", "--summary", "Longer cookie.")
    assert code == 0 and "takes effect on January 1, 2099" in out and "2024-06-01 stays in effect" in out
    code, out, _ = invoke(project, "versions")
    rows = [line.split()[:3] for line in out.splitlines()[1:]]
    assert rows == [
        ["2099-01-01", "upcoming", "yes"],
        ["2024-06-01", "current", "yes"],
        ["2024-01-01", "archived", "no"],
    ]
    code, out, _ = invoke(project, "diff", "current", "2099-01-01")
    assert code == 0 and "Changes from 2024-06-01 to 2099-01-01" in out and "2 years" in out
    monkeypatch.setenv(TODAY_ENV, "2023-06-01")
    code, _, err = invoke(project, "diff", "current", "draft")
    assert code == 2 and "first release takes effect on 2024-01-01" in err


# --- Malformed lock entries -----------------------------------------------------------------------


def add_lock_entry(options: ProjectOptions, **entry: object) -> None:
    lock = options.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"].append(entry)
    lock.write_text(json.dumps(data), encoding="utf-8")


def test_impossible_lock_date_is_a_lock_error(project: ProjectOptions) -> None:
    # A well-formed entry in every other way: its file exists and its hash matches.
    frozen = project.source / "versions" / "2025-02-30.yaml"
    frozen.write_bytes((project.source / "versions" / "2024-06-01.yaml").read_bytes())
    add_lock_entry(
        project,
        effective="2025-02-30",
        file="versions/2025-02-30.yaml",
        sha256=sha(frozen),
        summary="February has no 30th.",
    )
    with pytest.raises(LockError, match=r"versions\.lock: entry 3 has effective '2025-02-30'.*YYYY-MM-DD"):
        load_history(project)
    code, out, err = invoke(project, "versions")
    assert code == 2 and err.startswith("ERROR: ") and "2025-02-30" in err and "Traceback" not in out + err


@pytest.mark.parametrize(
    "entry",
    [
        {"effective": "2025-2-3", "file": "versions/2025-2-3.yaml", "sha256": "0" * 64, "summary": "x"},
        {"effective": 20250101, "file": "versions/2025-01-01.yaml", "sha256": "0" * 64, "summary": "x"},
        {"file": "versions/2025-01-01.yaml", "sha256": "0" * 64, "summary": "x"},
        {"effective": "2025-01-01", "file": "versions/2025-01-01.yaml", "sha256": "nope", "summary": "x"},
        {"effective": "2025-01-01", "file": "versions/2025-01-01.yaml", "sha256": "0" * 64, "summary": None},
        "2025-01-01",
    ],
)
def test_malformed_lock_entries_are_lock_errors(project: ProjectOptions, entry: object) -> None:
    lock = project.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"].append(entry)
    lock.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LockError, match="entry 3"):
        load_history(project)
    code, _, err = invoke(project, "versions")
    assert code == 2 and err.startswith("ERROR: ")


# --- Control characters never reach the terminal ----------------------------------------------------


def test_cli_output_has_no_control_characters_from_yaml_or_lock(project: ProjectOptions) -> None:
    lock = project.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"][0]["summary"] = "Evil \x1b[2J\x1b]0;pwned\x07 summary \x9b31m."
    lock.write_text(json.dumps(data), encoding="utf-8")
    # YAML double-quoted escapes put ESC and CSI (C1) into the policy text.
    edit_draft(
        project, "text: We never sell your data to anyone.", 'text: "We \\e[31mnever\\x9b sell your data to anyone."'
    )
    code, out, _ = invoke(project, "versions")
    assert code == 0 and "Evil [2J]0;pwned summary 31m." in out
    code, text, _ = invoke(project, "diff", "2024-01-01", "draft")
    code2, as_json, _ = invoke(project, "diff", "2024-01-01", "draft", "--format", "json")
    assert code == code2 == 0
    for printed in (out, text, as_json):
        assert not any(ch in printed for ch in "\x1b\x07\x9b"), printed
    # The renderer drops C0 controls from policy text (readers never see them); C1 is escaped, not lost.
    assert "[31mnever\\u009b" in as_json
    assert json.loads(as_json)["sections"]

"""The release day of a legal editor: dates, withdrawal, the hand-off note, file modes, lock messages."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyforge.cli.main import main
from policyforge.errors import LockError, ReleaseError
from policyforge.history.dates import TODAY_ENV
from policyforge.history.lock import lock_text, read_lock
from policyforge.history.release import frozen_text, release, withdraw
from policyforge.history.releases import load_history
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, ROOT, copy_project

TODAY = "2024-07-01"  # after the fixture's newest release (2024-06-01)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, TODAY)
    return read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))


def edit(options: ProjectOptions, old: str, new: str) -> None:
    text = options.policy_file.read_text(encoding="utf-8")
    assert old in text
    options.policy_file.write_text(text.replace(old, new), encoding="utf-8")


def run(options: ProjectOptions, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [args[0], "-f", str(options.config_file), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


# --- Dates that say what happened --------------------------------------------------------------


def test_past_effective_date_needs_backdate_and_says_why(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")
    code, _, err = run(project, "release", "--effective", "2024-06-15", "--summary", "Late.")
    assert code == 2
    assert err.splitlines()[0] == (
        "ERROR: effective date 2024-06-15 is in the past (today is 2024-07-01): the site would say this version "
        "applied from 2024-06-15, although until today visitors were shown the version then in effect, and "
        "consented to that one"
    )
    assert "--backdate" in err and not (project.source / "versions" / "2024-06-15.yaml").exists()
    code, _, err = run(
        project, "release", "--effective", "2024-06-15", "--summary", "Late.", "--backdate", "--published", "2024-06-10"
    )
    assert code == 0, err
    rel = load_history(project).get("2024-06-15")
    assert rel.published == dt.date(2024, 6, 10) and rel.policy.updated == dt.date(2024, 6, 10)


def test_future_publication_date_is_refused(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")
    with pytest.raises(ReleaseError, match="publication date 2024-08-01 is in the future"):
        release(project, dt.date(2024, 9, 1), "x", published=dt.date(2024, 8, 1))


def test_empty_summary_gets_no_unrelated_hint(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")
    code, _, err = run(project, "release", "--effective", "2024-09-01", "--summary", "  ")
    assert code == 2
    assert err == ("ERROR: the summary must not be empty: say in one sentence what this version changes\n")


# --- Withdrawing an upcoming release -------------------------------------------------------------


def test_withdraw_keeps_the_announcement_in_the_record(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")
    code, _, err = run(project, "release", "--effective", "2024-09-01", "--summary", "Rewords selling.")
    assert code == 0, err
    version = project.source / "versions" / "2024-09-01.yaml"
    note = project.source / "versions" / "2024-09-01.handoff.md"
    assert version.is_file() and note.is_file()
    frozen = version.read_bytes()
    draft = project.policy_file.read_text(encoding="utf-8")
    code, _, err = run(project, "release", "--withdraw", "2024-09-01")
    assert code == 2 and '--withdraw needs --reason "..."' in err
    code, out, err = run(project, "release", "--withdraw", "2024-09-01", "--reason", "  Wrong   wording. ")
    assert code == 0, err
    assert out.startswith("Withdrew the release 2024-09-01 (Rewords selling.): versions.lock records it as withdrawn")
    assert version.read_bytes() == frozen and not note.exists()  # the file stays, hash-locked; the to-do goes
    entry = json.loads((project.source / "versions.lock").read_text(encoding="utf-8"))["versions"][-1]
    assert entry["effective"] == "2024-09-01"
    assert entry["withdrawn"] == {"on": TODAY, "reason": "Wrong wording."}
    assert project.policy_file.read_text(encoding="utf-8") == draft  # the withdrawn text stays, to be corrected
    history = load_history(project)
    assert [r.date for r in history] == ["2024-01-01", "2024-06-01"]  # never in effect, never upcoming
    assert [r.date for r in history.withdrawn] == ["2024-09-01"] and history.upcoming() == ()
    with pytest.raises(ReleaseError, match=r"^the release 2024-09-01 was withdrawn on 2024-07-01 \(Wrong wording.\)"):
        history.get("2024-09-01")
    version.write_bytes(frozen + b"# edited\n")  # still hash-locked
    with pytest.raises(LockError, match="released file was modified"):
        load_history(project)
    version.write_bytes(frozen)
    code, _, err = run(project, "release", "--effective", "2024-09-01", "--summary", "Again.")
    assert code == 2 and "2024-09-01 was announced and withdrawn on 2024-07-01" in err
    code, out, err = run(project, "versions")
    listed = (
        "2024-09-01  withdrawn  no       editorial           2024-07-01  "
        "Rewords selling. [withdrawn on 2024-07-01: Wrong wording.]"
    )
    assert listed in out.splitlines()


def test_a_release_after_a_withdrawal_compares_with_the_version_in_effect(project: ProjectOptions) -> None:
    edit(project, "We never sell", "We do not sell")
    release(project, dt.date(2024, 9, 1), "Rewords selling.")
    withdraw(project, dt.date(2024, 9, 1), "Wrong wording.")
    with pytest.raises(ReleaseError, match=r"^the release 2024-09-01 was withdrawn on"):
        withdraw(project, dt.date(2024, 9, 1), "Twice.")
    with pytest.raises(ReleaseError, match="the reason must not be empty"):
        withdraw(project, dt.date(2024, 6, 1), "  ")
    edit(project, "We do not sell", "We don't sell")
    earlier = release(project, dt.date(2024, 8, 1), "Rewords selling, sooner.")  # before the withdrawn date
    assert earlier.release.previous is not None and earlier.release.previous.date == "2024-06-01"
    edit(project, "We don't sell", "We will never sell")
    later = release(project, dt.date(2024, 10, 1), "Rewords selling, later.")
    history = load_history(project)
    assert [r.date for r in history] == ["2024-01-01", "2024-06-01", "2024-08-01", "2024-10-01"]
    assert history.get("2024-10-01").previous is history.get("2024-08-01")  # never the withdrawn one
    assert later.release.previous is not None and later.release.previous.date == "2024-08-01"
    gone = history.withdrawn[0]
    assert gone.previous is history.get("2024-08-01")  # compared with the release in effect before its date
    assert [e["effective"] for e in read_lock(project)] == [
        "2024-01-01",
        "2024-06-01",
        "2024-08-01",
        "2024-09-01",
        "2024-10-01",
    ]
    assert lock_text(history.lock_entries()) == (project.source / "versions.lock").read_text(encoding="utf-8")


def test_a_malformed_withdrawal_in_the_lock_is_refused(project: ProjectOptions) -> None:
    lock = project.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"][-1]["withdrawn"] = {"on": "2024-13-01", "reason": "x"}
    lock.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LockError, match=r"entry 2 has withdrawn .*; expected \{\"on\": \"YYYY-MM-DD\""):
        load_history(project)


def test_withdraw_refuses_a_release_in_effect_or_past(project: ProjectOptions) -> None:
    code, _, err = run(project, "release", "--withdraw", "2024-06-01", "--reason", "Too late.")
    assert code == 2
    assert err.splitlines()[0] == (
        "ERROR: the release 2024-06-01 is in effect (today is 2024-07-01); a version visitors may have relied "
        "on is part of the published record and cannot be withdrawn"
    )
    assert err.splitlines()[1].startswith("hint: Correct it with a new release")
    with pytest.raises(ReleaseError, match="2024-01-01 was in effect until 2024-06-01"):
        withdraw(project, dt.date(2024, 1, 1), "Too late.")
    with pytest.raises(ReleaseError, match="no release with effective date '2024-02-02'"):
        withdraw(project, dt.date(2024, 2, 2), "Unknown.")
    assert len(load_history(project)) == 2


def test_second_upcoming_consent_change_warns_of_asking_twice(project: ProjectOptions) -> None:
    edit(project, "duration: 1 year}", "duration: 2 years}")
    first = release(project, dt.date(2024, 9, 1), "Longer analytics cookie.")
    assert first.release.consent_relevant and first.warnings == []
    edit(project, "duration: 2 years}", "duration: 18 months}")
    code, _, err = run(project, "release", "--effective", "2024-09-02", "--summary", "Shorter after all.")
    assert code == 0
    assert err == (
        "warning: visitors will be asked for consent twice: on 2024-09-01 (the upcoming release 2024-09-01 "
        "changes the consent categories) and again on 2024-09-02. Unless both dates are intended, withdraw the "
        "first with `policyforge release --withdraw 2024-09-01` and release its changes together with these.\n"
    )
    edit(project, "We never sell", "We do not sell")  # wording only: nobody is asked again, no warning
    assert release(project, dt.date(2024, 9, 3), "Rewords selling.").warnings == []


# --- The hand-off note ---------------------------------------------------------------------------


def test_example_second_release_handoff_names_categories_cookies_date_and_snippet() -> None:
    result = CliRunner().invoke(main, ["versions", "-f", str(ROOT / "mkdocs.yml"), "--handoff", "2025-09-01"])
    assert result.exit_code == 0, result.output
    note = result.stdout
    assert "- **Added** category `marketing` (Marketing Cookies)" in note
    assert 'data-consent="marketing"' in note
    assert "- **Changed** category `analytics` (Analytics Cookies): cookies added: `_pf_demo_analytics`." in note
    assert "- **Changed** category `essential` (Essential Cookies): cookies added: `pf_consent`" in note
    assert "**Yes, from September 1, 2025 (2025-09-01).**" in note
    snippet = re.search(
        r'  <script>[^<]+</script>\n  <script async src="https://privacy\.gptimage2ai\.com/consent/'
        r'(consent\.[0-9a-f]{10}\.js)" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous"></script>',
        note,
    )
    assert snippet is not None and f"`{snippet.group(1)}` is published ahead" in note
    assert "allows the stub by its hash and the banner by its origin: 'sha256-" in note
    assert "The stub is new: replace it, and its hash in your CSP" in note  # the marketing category's ad types


# --- Files keep the mode a normal write gives; schema references resolve ----------------------------


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_released_files_respect_the_umask(project: ProjectOptions, umask_027: None) -> None:
    (project.source / "versions.lock").chmod(0o664)  # an existing file keeps its own mode
    project.policy_file.chmod(0o644)
    edit(project, "We never sell", "We do not sell")
    code, _, err = run(project, "release", "--effective", "2024-09-01", "--summary", "Rewords selling.")
    assert code == 0, err

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(project.source / "versions" / "2024-09-01.yaml") == 0o640
    assert mode(project.source / "versions" / "2024-09-01.handoff.md") == 0o640
    assert mode(project.source / "versions.lock") == 0o664
    assert mode(project.policy_file) == 0o644


def test_schema_references_of_released_files_resolve() -> None:
    versions = ROOT / "policy_source" / "versions"
    for path in versions.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (path.parent / target).resolve().is_file(), f"{path.name}: {first}"
    assert frozen_text("# yaml-language-server: $schema=./policy.schema.json\nx: 1\n") == (
        "# yaml-language-server: $schema=../policy.schema.json\nx: 1\n"
    )
    absolute = "# yaml-language-server: $schema=https://example.org/s.json\n"
    assert frozen_text(absolute) == absolute


# --- versions.lock problems get their own messages --------------------------------------------------

RESTORE = (
    "hint: policy_source/versions.lock is written only by `policyforge release` (and `release --withdraw`): "
    "restore it from version control (e.g. `git checkout -- policy_source/versions.lock`) rather than "
    "editing it by hand.\n"
)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '{"format": 1, "versions": [\n  {"effective": "2024-01-01",}\n]}',
            "ERROR: policy_source/versions.lock: the lock file cannot be read (not valid JSON at line 2, column 30: "
            "Expecting property name enclosed in double quotes)\n",
        ),
        (
            '["2024-01-01"]',
            'ERROR: policy_source/versions.lock: this is not a policyforge lock file: expected {"format": 1, '
            '"versions": ["..."]}\n',
        ),
    ],
)
def test_broken_lock_is_told_to_be_restored(project: ProjectOptions, text: str, error: str) -> None:
    (project.source / "versions.lock").write_text(text, encoding="utf-8")
    code, _, err = run(project, "versions")
    assert code == 2 and err == error + RESTORE
    assert "correction" not in err


def test_stray_version_file_is_told_to_be_removed(project: ProjectOptions) -> None:
    stray = project.source / "versions" / "2024-03-01.yaml"
    stray.write_text("title: x\n", encoding="utf-8")
    code, _, err = run(project, "versions")
    assert code == 2 and "version file without an entry in policy_source/versions.lock" in err
    assert err.splitlines()[-1].startswith("hint: Versions are created only by `policyforge release`: remove the file")


def test_draft_equal_to_an_upcoming_release_says_so(tmp_path: Path) -> None:
    import dataclasses

    from policyforge.site.build import generate_pages
    from policyforge.source.loader import load_policy
    from tests.helpers import TODAY as BEFORE_IT
    from tests.helpers import inputs_on, upcoming_project

    options = upcoming_project(tmp_path / "p")
    inputs = dataclasses.replace(inputs_on(options, BEFORE_IT), draft=load_policy(options.policy_file))
    page = next(text for path, text in generate_pages(inputs).items() if path.startswith("draft"))
    assert (
        'The draft is identical to the upcoming release of <time datetime="2099-01-01">January 1, 2099</time>.' in page
    )

"""Kinds of change (history/classes.py), reclassification and notice periods: issue 24 build 1 and 2.

The issue's "done when" says a retention cut is ``material``, while its build list names "a shorter retention"
among the changes that need no notice. Notice exists so readers can object or leave before processing widens;
a cut narrows it. So a longer retention is ``material`` (with notice), and a cut is listed as a fact change
without notice (docs/versions.md, "Kinds of change").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import LockError, ReleaseError
from policyforge.history.classes import classify, release_classes, widens
from policyforge.history.dates import TODAY_ENV
from policyforge.history.diff import diff_policies
from policyforge.history.lock import LOCK_NAME, read_lock
from policyforge.history.releases import load_history
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project, invoke
from tests.unit.test_fact_diff import pair, source

TODAY = dt.date(2025, 1, 1)
PURPOSE = "purpose: Remembers your cookie choices"
NEW_COOKIE = """          duration: 180 days
    - id: analytics
      title: Analytics
      description: Counts visits
      cookies:
        - name: _pk_id
          provider: Tiny App
          purpose: Counts visits
          duration: 13 months
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "facts-complete"))
    options.policy_file.write_text(source(), encoding="utf-8")
    release(options, TODAY, "First.")
    return options


def draft(options: ProjectOptions, text: str) -> None:
    options.policy_file.write_text(text, encoding="utf-8")


def flags_of(options: ProjectOptions, date: str) -> tuple[str, ...]:
    return release_classes(load_history(options).get(date)).flags


def cli(options: ProjectOptions, *args: str) -> tuple[int, str]:
    result = invoke(main, [*args, "-f", str(options.config_file)])
    return result.exit_code, result.output


def test_a_longer_retention_is_material_and_a_cut_is_a_fact_change_without_notice(tmp_path: Path) -> None:
    old, longer = pair(tmp_path, source(), source(retention="P36M"))
    kinds = classify(diff_policies(old, longer), old)
    assert kinds.flags == ("material",) and [c.direction for c in kinds.material] == ["longer"]
    old, cut = pair(tmp_path, source(), source(retention="P12M"))
    kinds = classify(diff_policies(old, cut), old)
    assert kinds.flags == ("editorial",) and kinds.material == ()
    assert [(c.field, c.direction) for c in kinds.other] == [("retention", "shorter")]  # still listed


def test_what_widens_processing(tmp_path: Path) -> None:
    old, new = pair(tmp_path, source(), source(sentry=True))  # a new US sub-processor
    changes = diff_policies(old, new).facts
    assert all(widens(c) for c in changes) and {c.subject for c in changes} == {"activity", "recipient"}
    _, basis = pair(tmp_path, source(), source(extra=(("legal_basis: contract", "legal_basis: consent"),)))
    assert [widens(c) for c in diff_policies(old, basis).facts] == [True]
    removed = diff_policies(new, old).facts  # the recipient removed again: listed, no notice
    assert removed and not any(widens(c) for c in removed)


def test_facts_added_to_a_policy_that_had_none_need_no_notice(tmp_path: Path) -> None:
    full = source()
    bare = full.split("processing:\n")[0] + "sections:\n" + full.split("\nsections:\n")[1]
    bare = bare.replace("      activity: accounts\n", "")
    old, new = pair(tmp_path, bare, source())
    d = diff_policies(old, new)
    assert d.facts and classify(d, old).flags == ("editorial",)


def test_a_release_carries_every_flag_that_applies(project: ProjectOptions) -> None:
    draft(project, source(retention="P36M").replace("          duration: 180 days\n", NEW_COOKIE))
    release(project, dt.date(2025, 3, 1), "Longer retention, analytics.")
    assert flags_of(project, "2025-03-01") == ("consent", "material")
    assert flags_of(project, "2025-01-01") == ()  # the first release: no flag, no notice
    code, out = cli(project, "versions")
    assert code == 0 and "2025-03-01  upcoming  yes      consent,material" in out


def test_a_typo_fix_is_editorial_and_a_new_cookie_is_consent(project: ProjectOptions) -> None:
    draft(project, source().replace("This policy explains", "This policy describes"))
    release(project, dt.date(2025, 1, 2), "Typo.")
    draft(
        project,
        source()
        .replace("This policy explains", "This policy describes")
        .replace("          duration: 180 days\n", NEW_COOKIE),
    )
    release(project, dt.date(2025, 1, 3), "Analytics.")
    assert flags_of(project, "2025-01-02") == ("editorial",)
    assert flags_of(project, "2025-01-03") == ("consent",)


def test_a_consent_typo_reclassified_as_editorial_keeps_the_consent_revision(project: ProjectOptions) -> None:
    first = load_history(project).get("2025-01-01").consent_revision
    draft(project, source().replace(PURPOSE, "purpose: Remembers your cookie choice"))
    code, out = cli(
        project,
        "release",
        "--effective",
        "2025-01-02",
        "--summary",
        "Typo.",
        "--class",
        "editorial",
        "--reason",
        "typo in a cookie purpose",
    )
    assert code == 0, out
    assert "consent revision stays " + first in out
    rel = load_history(project).get("2025-01-02")
    assert rel.consent_changed and not rel.consent_relevant and rel.consent_revision == first
    assert read_lock(project)[-1]["reclassified"] == {
        "as": "editorial",
        "reason": "typo in a cookie purpose",
        "consent_revision": first,
    }
    assert release_classes(rel).flags == ("editorial",) and release_classes(rel).reason == "typo in a cookie purpose"
    draft(project, source().replace(PURPOSE, "purpose: Remembers your cookie choice").replace("explains", "says"))
    release(project, dt.date(2025, 1, 3), "Wording.")  # nothing consent-relevant since: the kept revision holds
    later = load_history(project).get("2025-01-03")
    assert later.consent_revision == first and not later.consent_relevant
    code, out = cli(project, "diff", "2025-01-01", "2025-01-02", "--format", "json")
    data = json.loads(out)
    assert data["classes"]["reclassified"] == {"as": "editorial", "reason": "typo in a cookie purpose"}
    assert data["consent_relevant"] is False and "Consent-relevant" not in data["summary"]
    assert data["consent_revision"] == {"old": first, "new": first}


def test_diff_words_a_reclassified_release_as_editorial(project: ProjectOptions) -> None:
    """`diff` says what the release is: nobody is asked again, so never "consent-relevant"."""
    draft(project, source().replace(PURPOSE, "purpose: Remembers your cookie choice"))
    release(project, dt.date(2025, 1, 2), "Typo.", editorial="typo in a cookie purpose")
    draft(project, source().replace(PURPOSE, "purpose: Remembers your cookie choice").replace("explains", "says"))
    release(project, dt.date(2025, 1, 3), "Wording.")
    code, out = cli(project, "diff", "2025-01-01", "2025-01-02")
    assert code == 0, out
    assert "Consent-relevant" not in out and "CONSENT-RELEVANT" not in out
    assert (
        "EDITORIAL (reclassified): The consent choices were reworded only, so visitors are not asked again. "
        "The editor’s reason: typo in a cookie purpose"
    ) in out
    code, out = cli(project, "diff", "2025-01-01", "2025-01-03")  # across it: the kept revision still holds
    assert code == 0 and "onsent-relevant" not in out and "CONSENT-RELEVANT" not in out and "EDITORIAL" not in out
    draft(project, source().replace("          duration: 180 days\n", NEW_COOKIE))
    code, out = cli(project, "diff", "2025-01-03")  # a draft with a new cookie: asked again once released
    assert code == 0 and "Consent-relevant" in out and "CONSENT-RELEVANT" in out


def test_only_wording_may_be_reclassified(project: ProjectOptions) -> None:
    draft(project, source().replace("          duration: 180 days\n", NEW_COOKIE))
    with pytest.raises(ReleaseError, match="cannot be released as editorial: a consent category"):
        release(project, dt.date(2025, 1, 2), "Analytics.", editorial="typo")
    draft(project, source().replace("explains", "says"))
    with pytest.raises(ReleaseError, match="changes nothing consent-relevant"):
        release(project, dt.date(2025, 1, 2), "Wording.", editorial="typo")
    assert [e["effective"] for e in read_lock(project)] == ["2025-01-01"]


def test_a_material_release_ten_days_ahead_is_refused_unless_the_notice_is_waived(project: ProjectOptions) -> None:
    draft(project, source(retention="P36M"))
    code, out = cli(project, "release", "--effective", "2025-01-11", "--summary", "Longer.")
    assert code == 2
    assert "too close for a material change: the option notice_material asks for 30 days" in out
    assert "the earliest allowed date is 2025-01-31" in out
    code, out = cli(
        project, "release", "--effective", "2025-01-11", "--summary", "Longer.", "--published", "2024-12-01"
    )
    assert code == 2 and "the earliest allowed date is 2025-01-31" in out  # a claimed earlier publication counts not
    code, out = cli(
        project,
        "release",
        "--effective",
        "2025-01-11",
        "--summary",
        "Longer.",
        "--notice-waived",
        "required by a court order",
    )
    assert code == 0, out
    assert load_history(project).get("2025-01-11").notice_waived == "required by a court order"
    assert read_lock(project)[-1]["notice_waived"] == "required by a court order"


def test_the_notice_periods_are_project_options(project: ProjectOptions) -> None:
    options = project.model_copy(update={"notice_material": 5, "notice_subprocessor": 45})
    draft(options, source(retention="P36M"))
    release(options, dt.date(2025, 1, 6), "Longer, 5 days ahead.")
    draft(options, source(retention="P36M", sentry=True))
    with pytest.raises(ReleaseError, match=r"new sub-processor: the option notice_subprocessor .* 2025-02-15"):
        release(options, dt.date(2025, 1, 20), "Sentry.")
    draft(options, source(retention="P24M"))
    release(options, dt.date(2025, 1, 7), "Cut back, the next day: no notice needed.")


def test_old_locks_still_read_and_a_bad_reclassification_is_a_lock_error(project: ProjectOptions) -> None:
    lock = project.source / LOCK_NAME
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert "reclassified" not in data["versions"][0] and load_history(project).get("2025-01-01").reclassified is None
    data["versions"][0]["reclassified"] = {"as": "material", "reason": "x", "consent_revision": "0" * 12}
    lock.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LockError, match="has reclassified"):
        read_lock(project)

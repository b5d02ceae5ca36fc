"""A withdrawn announcement stays in the public record: /versions/, its pages, both feeds and versions.json."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import feedparser
import jsonschema
import pytest

from policyforge.history.dates import TODAY_ENV
from policyforge.history.release import release, withdraw
from policyforge.mkdocs_plugin import engine
from policyforge.site.build import generate_pages, prepare
from policyforge.site.data import load_schema, versions_data
from policyforge.site.feeds import atom_feed, json_feed
from policyforge.site.inputs import SiteInputs
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, copy_project
from tests.helpers import FUTURE, TODAY, inputs_on, upcoming_project

REASON = "The longer cookie lifetime was announced by mistake."
LATER = dt.date(2099, 2, 1)
ANNOUNCED = '<time datetime="2024-12-01">December 1, 2024</time>'
WITHDRAWN = '<time datetime="2025-01-01">January 1, 2025</time>'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    """history-basic, an announcement for 2099-01-01 withdrawn on TODAY, then a release for 2099-02-01."""
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = upcoming_project(tmp_path / "p")
    withdraw(options, FUTURE, REASON)
    text = options.policy_file.read_text(encoding="utf-8").replace("We never sell", "We do not sell")
    options.policy_file.write_text(text, encoding="utf-8")
    release(options, LATER, "Rewords selling.")
    return options


def test_versions_page_lists_the_withdrawn_announcement_with_its_reason(project: ProjectOptions) -> None:
    versions = generate_pages(inputs_on(project, TODAY))["versions/index.md"]
    rows = dict(re.findall(r'<tr data-version="([\d-]+)" data-status="(\w+)">', versions))
    assert rows == {
        "2099-02-01": "upcoming",
        "2099-01-01": "withdrawn",
        "2024-06-01": "current",
        "2024-01-01": "archived",
    }
    row = versions[versions.index('data-version="2099-01-01"') : versions.index('data-version="2024-06-01"')]
    assert f"Announced on {ANNOUNCED}, withdrawn on {WITHDRAWN}. Reason:" in row
    assert REASON in row and 'href="../changes/2099-01-01/"' in row and "Upcoming" not in row


def test_change_and_text_pages_of_a_withdrawn_announcement_stay(project: ProjectOptions) -> None:
    pages = generate_pages(inputs_on(project, TODAY))
    change = pages["changes/2099-01-01.md"]
    assert change.startswith("---") and "Changes announced for January 1, 2099, withdrawn" in change
    assert f"Announced on {ANNOUNCED}, withdrawn on {WITHDRAWN}." in change and REASON in change
    assert "_tiny_stats" in change  # what it would have changed, against the version in effect before it
    assert "first published version" not in change and "pf-badge-upcoming" not in change
    text = pages["versions/2099-01-01.md"]
    assert "This version never took effect" in text and REASON in text
    assert "changes/since/2099-01-01.md" not in pages
    # the next release compares with the version actually in effect before it, never the withdrawn one
    later = pages["changes/2099-02-01.md"]
    assert 'compared with the version of <time datetime="2024-06-01">' in later
    assert "2099-01-01" not in pages["changes/2024-06-01.md"] + pages["versions/2024-06-01.md"]  # no neighbour
    assert 'Effective Date: <time datetime="2024-06-01">' in pages["index.md"]


def _inputs(project: ProjectOptions) -> SiteInputs:
    return inputs_on(project, TODAY)


def test_both_feeds_keep_the_entry_marked_withdrawn(project: ProjectOptions) -> None:
    inputs = _inputs(project)
    parsed = feedparser.parse(atom_feed(inputs))
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if e.id.endswith("/changes/2099-01-01/"))
    assert entry.title == "Withdrawn: the version announced for January 1, 2099"
    assert entry.summary.startswith(f"Withdrawn on January 1, 2025: {REASON}. It never took effect. Longer")
    assert [t.term for t in entry.tags] == ["consent-relevant", "withdrawn"]
    assert entry.updated.startswith("2025-01-01") and entry.published.startswith("2024-12-01")
    feed = json_feed(inputs)
    item = next(i for i in feed["items"] if i["id"].endswith("/changes/2099-01-01/"))
    assert item["_policyforge"] == {
        "effective": "2099-01-01",
        "upcoming": False,
        "withdrawn": {"on": "2025-01-01", "reason": REASON},
    }
    assert item["tags"] == ["consent-relevant", "withdrawn"] and item["date_modified"] == "2025-01-01T00:00:00Z"


def test_versions_json_marks_the_withdrawal_and_matches_its_schema(project: ProjectOptions) -> None:
    data = json.loads(json.dumps(versions_data(_inputs(project))))
    jsonschema.validate(data, load_schema("versions.schema.json"), cls=jsonschema.Draft202012Validator)
    by_date = {v["effective"]: v for v in data["versions"]}
    assert list(by_date) == ["2099-02-01", "2099-01-01", "2024-06-01", "2024-01-01"]
    assert by_date["2099-01-01"]["withdrawn"] == {"on": "2025-01-01", "reason": REASON}
    assert by_date["2099-01-01"]["current"] is False and "changes_since" not in by_date["2099-01-01"]["urls"]
    assert by_date["2099-02-01"]["withdrawn"] is None and "changes_since" in by_date["2099-02-01"]["urls"]


def test_the_built_site_keeps_the_withdrawn_pages(project: ProjectOptions) -> None:
    site = engine.build(project.config_file)
    change = (site / "changes" / "2099-01-01" / "index.html").read_text(encoding="utf-8")
    assert REASON in change and "withdrawn on" in change
    assert (site / "versions" / "2099-01-01" / "index.html").is_file()
    assert (site / "versions" / "2099-01-01" / "policy.json").is_file()
    assert "Withdrawn: the version announced for" in (site / "feed.xml").read_text(encoding="utf-8")


def test_a_withdrawn_first_announcement_stays_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "lint-stale-section-number"))
    shutil.rmtree(options.source / "versions")
    (options.source / "versions.lock").unlink()
    release(options, FUTURE, "First version, announced in advance.")
    withdraw(options, FUTURE, REASON)
    inputs = prepare(options)
    pages = generate_pages(inputs)
    assert 'data-version="2099-01-01" data-status="withdrawn"' in pages["versions/index.md"]
    change = pages["changes/2099-01-01.md"]
    assert REASON in change and "first published version" not in change
    assert [i["title"] for i in json_feed(inputs)["items"]] == ["Withdrawn: the version announced for January 1, 2099"]
    assert versions_data(inputs)["current"] is None

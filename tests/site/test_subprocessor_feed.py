"""The sub-processor record: a page and its own Atom and JSON feeds (issue 24 build 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from policyforge.history.dates import TODAY_ENV
from policyforge.history.release import withdraw
from policyforge.site.build import generate_pages
from policyforge.site.subprocessors import atom_and_json, write_subprocessor_feeds
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project
from tests.helpers import inputs_on, upcoming_project
from tests.unit.test_fact_diff import source

TODAY = dt.date(2025, 1, 10)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    """First release (two recipients), Sentry added (US, SCCs) ahead, Sentry removed later, an announcement
    adding it again withdrawn."""
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "facts-complete"))
    for day, text in (("2025-01-10", source()), ("2025-02-10", source(sentry=True)), ("2025-04-01", source())):
        options.policy_file.write_text(text, encoding="utf-8")
        release(options, dt.date.fromisoformat(day), f"Release of {day}.")
    options.policy_file.write_text(source(sentry=True), encoding="utf-8")
    release(options, dt.date(2025, 6, 1), "Sentry again.")
    withdraw(options, dt.date(2025, 6, 1), "Not needed after all.")
    return options


def test_the_feeds_list_each_recipient_added_or_removed_with_country_safeguard_and_date(
    project: ProjectOptions, tmp_path: Path
) -> None:
    atom, data = atom_and_json(inputs_on(project, TODAY))
    items = [i["_policyforge"] for i in data["items"]]
    assert [(i["change"], i["recipient"]["id"], i["effective"]) for i in items] == [
        ("removed", "sentry", "2025-04-01"),
        ("added", "sentry", "2025-02-10"),
        ("added", "hosting", "2025-01-10"),
        ("added", "mailer", "2025-01-10"),
    ]  # the withdrawn announcement never took effect: not listed
    assert items[1]["recipient"] | {"transfer": items[1]["transfer"]} == {
        "id": "sentry",
        "name": "Sentry, Inc.",
        "role": "sub_processor",
        "country": "US",
        "safeguard": "sccs",
        "transfer": True,
    }
    assert items[1]["upcoming"] is True and items[3]["upcoming"] is False
    assert data["items"][1]["id"] == "https://fixture.example/subprocessors/#2025-02-10-added-sentry"
    assert "United States" in data["items"][1]["title"] and "SCCs" in data["items"][1]["title"]
    parsed = feedparser.parse(atom)
    assert not parsed.bozo and parsed.feed.title.endswith("Sub-processors and other recipients: changes")
    entry = parsed.entries[1]
    assert entry.id == data["items"][1]["id"] and [t.term for t in entry.tags] == ["added"]
    assert "Effective February 10, 2025." in entry.summary and "United States" in entry.summary
    write_subprocessor_feeds(inputs_on(project, TODAY), tmp_path / "site")
    assert (tmp_path / "site" / "subprocessors" / "feed.xml").read_text(encoding="utf-8") == atom


def test_the_page_lists_them_and_links_its_feeds(project: ProjectOptions) -> None:
    pages = generate_pages(inputs_on(project, TODAY))
    page = pages["subprocessors/index.md"]
    assert '<tr id="2025-02-10-added-sentry" data-change="added">' in page
    row = page[page.index('id="2025-02-10-added-sentry"') :].split("</tr>")[0]
    assert "Sentry, Inc." in row and "United States" in row and "SCCs" in row and "Added" in row
    assert 'href="../changes/2025-02-10/"' in row
    assert '<tr id="2025-04-01-removed-sentry" data-change="removed">' in page
    assert 'href="feed.xml"' in page or 'href="../subprocessors/feed.xml"' in page
    assert 'href="../subprocessors/"' in pages["versions/index.md"]


def test_a_document_that_never_named_a_recipient_has_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = upcoming_project(tmp_path / "p")  # history-basic: releases without recipients
    pages = generate_pages(inputs_on(options, TODAY))
    assert "subprocessors/index.md" not in pages and "subprocessors/" not in pages["versions/index.md"]
    write_subprocessor_feeds(inputs_on(options, TODAY), tmp_path / "site")
    assert not (tmp_path / "site" / "subprocessors").exists()

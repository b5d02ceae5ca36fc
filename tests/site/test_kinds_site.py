"""Kinds of change on the change pages, in both feeds and in versions.json (issue 24 build 1 and 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import jsonschema
import pytest

from policyforge.history.dates import TODAY_ENV
from policyforge.site.build import generate_pages
from policyforge.site.data import load_schema, versions_data
from policyforge.site.feeds import atom_feed, json_feed
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project
from tests.helpers import inputs_on
from tests.unit.test_classes import NEW_COOKIE, PURPOSE
from tests.unit.test_fact_diff import source

TODAY = dt.date(2025, 1, 10)
TYPO = ("This policy explains", "This policy describes")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    """First, a typo fix, a new cookie, a consent typo released as editorial, a cut, a longer retention (waived
    notice), and a longer retention announced with full notice."""
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "facts-complete"))
    steps: list[tuple[str, str, dict[str, str]]] = [
        ("2025-01-10", source(), {}),
        ("2025-01-11", source().replace(*TYPO), {}),
        ("2025-01-12", source().replace(*TYPO).replace("          duration: 180 days\n", NEW_COOKIE), {}),
    ]
    cookie = steps[-1][1]
    steps.append(("2025-01-13", cookie.replace(PURPOSE, PURPOSE + "s"), {"editorial": "typo in a cookie purpose"}))
    cut = steps[-1][1].replace("period: P24M", "period: P10D")
    steps.append(("2025-01-14", cut, {}))
    steps.append(("2025-01-20", cut.replace("period: P10D", "period: P60D"), {"notice_waived": "ordered by a court"}))
    steps.append(("2025-03-01", cut.replace("period: P10D", "period: P90D"), {}))
    for day, text, extra in steps:
        options.policy_file.write_text(text, encoding="utf-8")
        release(options, dt.date.fromisoformat(day), f"Release of {day}.", **extra)  # type: ignore[arg-type]
    return options


EXPECTED = {
    "2025-03-01": ["material"],
    "2025-01-20": ["material"],
    "2025-01-14": ["editorial"],
    "2025-01-13": ["editorial"],
    "2025-01-12": ["consent"],
    "2025-01-11": ["editorial"],
    "2025-01-10": [],
}


def test_each_change_page_shows_its_kind(project: ProjectOptions) -> None:
    pages = generate_pages(inputs_on(project, TODAY))
    typo, cookie, cut = pages["changes/2025-01-11.md"], pages["changes/2025-01-12.md"], pages["changes/2025-01-14.md"]
    assert 'class="pf-badge pf-badge-editorial"' in typo and "pf-badge-consent" not in typo
    assert "pf-badge-consent" in cookie and "pf-badge-editorial" not in cookie
    assert "pf-badge-editorial" in cut and "pf-badge-material" not in cut
    assert "Retention" in cut  # the cut is listed as a fact change
    consent_typo = pages["changes/2025-01-13.md"]
    assert "pf-badge-editorial" in consent_typo and "pf-badge-consent" not in consent_typo
    assert "visitors are not asked again" in consent_typo and "typo in a cookie purpose" in consent_typo
    waived = pages["changes/2025-01-20.md"]
    assert "pf-badge-material" in waived and "less notice than usual. The reason:" in waived
    assert "ordered by a court" in waived and "Days until it takes effect: 10." in waived
    listed = pages["versions/index.md"]
    row = listed[listed.index('data-version="2025-03-01"') :].split("</tr>")[0]
    assert "pf-badge-material" in row and "Days until it takes effect: 50." in row
    row = listed[listed.index('data-version="2025-01-11"') :].split("</tr>")[0]
    assert "pf-badge-editorial" in row and "Days until" not in row
    ahead = pages["changes/2025-03-01.md"]
    assert "widens the processing of personal data" in ahead and "Days until it takes effect: 50." in ahead


def test_both_feeds_and_versions_json_carry_the_kinds(project: ProjectOptions) -> None:
    inputs = inputs_on(project, TODAY)
    parsed = feedparser.parse(atom_feed(inputs))
    atom = {e.link.rsplit("/", 2)[-2]: {t.term for t in e.get("tags", [])} - {"upcoming"} for e in parsed.entries}
    assert atom["2025-01-14"] == {"editorial"} and atom["2025-01-12"] == {"consent-relevant"}
    assert atom["2025-01-11"] == {"editorial"} and atom["2025-01-20"] == {"material"}
    assert atom["2025-01-13"] == {"editorial"}  # the consent typo released as editorial
    items = {i["_policyforge"]["effective"]: i for i in json_feed(inputs)["items"]}
    assert {day: i["_policyforge"]["kinds"] for day, i in items.items()} == EXPECTED
    assert items["2025-01-13"]["_policyforge"]["reclassified"]["reason"] == "typo in a cookie purpose"
    assert items["2025-01-20"]["_policyforge"]["notice_waived"] == "ordered by a court"
    assert "ordered by a court" in items["2025-01-20"]["content_text"]
    assert "material" in items["2025-01-20"]["tags"] and "material" not in items["2025-01-14"].get("tags", [])
    data = versions_data(inputs)
    jsonschema.validate(data, load_schema("versions.schema.json"))
    assert {v["effective"]: v["kinds"] for v in data["versions"]} == EXPECTED
    rows = {v["effective"]: v for v in data["versions"]}
    assert rows["2025-01-13"]["consent_relevant"] is False
    assert rows["2025-01-13"]["consent_revision"] == rows["2025-01-12"]["consent_revision"]
    assert rows["2025-01-20"]["notice_waived"] == "ordered by a court" and rows["2025-01-14"]["notice_waived"] is None
    on_the_day = versions_data(inputs_on(project, dt.date(2025, 1, 13)))  # the site's revision is the one kept
    assert on_the_day["current"] == "2025-01-13"
    assert on_the_day["consent_revision"] == rows["2025-01-12"]["consent_revision"]

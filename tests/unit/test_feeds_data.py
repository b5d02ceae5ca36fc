"""Atom and JSON feeds, and the JSON data files with their schemas."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from policyforge.errors import BuildError
from policyforge.history.releases import History
from policyforge.site import build as site
from policyforge.site.data import load_schema, policy_data, versions_data, write_data
from policyforge.site.feeds import atom_feed, json_feed, require_site_url, write_feeds
from policyforge.source.options import read_project
from tests.conftest import FIXTURES, ROOT, copy_project
from tests.helpers import TODAY, inputs_on, upcoming_project


@pytest.fixture
def inputs(tmp_path: Path) -> site.SiteInputs:
    return site.prepare(read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic")))


def test_atom_feed_parses_without_errors(inputs: site.SiteInputs) -> None:
    parsed = feedparser.parse(atom_feed(inputs))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == [
        "https://example.org/privacy/changes/2024-06-01/",
        "https://example.org/privacy/changes/2024-01-01/",
    ]
    assert parsed.entries[0].id == "https://example.org/privacy/changes/2024-06-01/"
    newest = parsed.entries[0]
    assert newest.published.startswith("2024-06-01")
    assert newest.summary.startswith("Renames Sharing") and "Sections moved: 1 · " in newest.summary
    assert "First published version." in parsed.entries[1].summary
    assert [t.term for t in newest.tags] == ["consent-relevant"]


def test_json_feed_required_fields(inputs: site.SiteInputs) -> None:
    feed = json.loads(json.dumps(json_feed(inputs)))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"]
    assert feed["feed_url"] == "https://example.org/privacy/feed.json"
    assert [i["id"] for i in feed["items"]] == [
        "https://example.org/privacy/changes/2024-06-01/",
        "https://example.org/privacy/changes/2024-01-01/",
    ]
    assert all(i["date_published"].endswith("T00:00:00Z") and i["content_text"] for i in feed["items"])


def test_feeds_strip_xml_invalid_characters(inputs: site.SiteInputs) -> None:
    first, second = inputs.history.releases
    bad = dataclasses.replace(second, summary="Bell\x07 and <tag> & \x1b[31m.")
    text = atom_feed(dataclasses.replace(inputs, history=History((first, bad))))
    assert "\x07" not in text and "\x1b" not in text and "&lt;tag&gt; &amp;" in text
    assert not feedparser.parse(text).bozo


def test_feeds_need_site_url(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_url: https://example.org/privacy/\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="site_url"):
        site.prepare(read_project(config))


def test_draft_is_never_in_the_feeds(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("never sell", "DRAFTWORD sell"), encoding="utf-8")
    inputs = site.prepare(read_project(config, draft=True))
    assert inputs.draft is not None
    out = tmp_path / "out"
    out.mkdir()
    write_feeds(inputs, out)
    write_data(inputs, out)
    for name in ("feed.xml", "feed.json", "versions.json", "policy.json"):
        assert "DRAFTWORD" not in (out / name).read_text(encoding="utf-8")


def test_versions_json_validates(inputs: site.SiteInputs) -> None:
    data = versions_data(inputs)
    jsonschema.Draft202012Validator.check_schema(load_schema("versions.schema.json"))
    jsonschema.validate(data, load_schema("versions.schema.json"), cls=jsonschema.Draft202012Validator)
    assert [v["effective"] for v in data["versions"]] == ["2024-06-01", "2024-01-01"]
    assert [v["consent_relevant"] for v in data["versions"]] == [True, False]
    assert data["versions"][0]["current"] and data["current"] == "2024-06-01"
    assert data["versions"][1]["urls"]["text"] == "https://example.org/privacy/versions/2024-01-01/"
    bad = {**data, "versions": [{**data["versions"][0], "sha256": "nope"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, load_schema("versions.schema.json"), cls=jsonschema.Draft202012Validator)


def test_policy_json_validates(inputs: site.SiteInputs, tmp_path: Path) -> None:
    schema = load_schema("policy-data.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    write_data(inputs, tmp_path)
    current = json.loads((tmp_path / "policy.json").read_text(encoding="utf-8"))
    archived = json.loads((tmp_path / "versions" / "2024-01-01" / "policy.json").read_text(encoding="utf-8"))
    for data in (current, archived):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert current["version"] == "2024-06-01" and current["current"] is True
    assert archived["current"] is False and archived["policy"]["effective"] == "2024-01-01"
    assert current["consent_revision"] != archived["consent_revision"]
    assert current == policy_data(inputs, inputs.current, inputs.history.newest)


# --- Upcoming releases and the single site_url check ------------------------------------------


def test_feeds_announce_upcoming_releases_with_their_effective_date(tmp_path: Path) -> None:
    inputs = inputs_on(upcoming_project(tmp_path / "p"), TODAY)
    parsed = feedparser.parse(atom_feed(inputs))
    assert not parsed.bozo, parsed.get("bozo_exception")
    upcoming, current = parsed.entries[0], parsed.entries[1]
    assert upcoming.link == "https://example.org/privacy/changes/2099-01-01/"
    assert upcoming.title == "Upcoming version, takes effect on January 1, 2099"
    assert upcoming.summary.startswith("Not yet in effect: takes effect on January 1, 2099. Longer analytics cookie")
    # dated by the day it was released, never in the future; the effective date is in the title
    assert upcoming.published.startswith("2024-12-01") and upcoming.updated.startswith("2024-12-01")
    assert parsed.feed.updated.startswith("2024-12-01")
    assert [t.term for t in upcoming.tags] == ["upcoming", "consent-relevant"]
    assert current.title == "Version of June 1, 2024" and "upcoming" not in [t.term for t in current.tags]
    feed = json_feed(inputs)
    first, second = feed["items"][0], feed["items"][1]
    assert first["title"].startswith("Upcoming version") and first["tags"] == ["upcoming", "consent-relevant"]
    assert first["_policyforge"] == {"effective": "2099-01-01", "upcoming": True, "kinds": ["consent"]}
    assert first["date_published"] == first["date_modified"] == "2024-12-01T00:00:00Z"
    assert second["_policyforge"] == {"effective": "2024-06-01", "upcoming": False, "kinds": ["consent"]}


def test_data_marks_the_version_in_effect_as_current(tmp_path: Path) -> None:
    inputs = inputs_on(upcoming_project(tmp_path / "p"), TODAY)
    data = versions_data(inputs)
    jsonschema.validate(data, load_schema("versions.schema.json"), cls=jsonschema.Draft202012Validator)
    assert data["current"] == "2024-06-01"
    assert [(v["effective"], v["current"]) for v in data["versions"]] == [
        ("2099-01-01", False),
        ("2024-06-01", True),
        ("2024-01-01", False),
    ]
    out = tmp_path / "out"
    write_data(inputs, out)
    schema = load_schema("policy-data.schema.json")
    current = json.loads((out / "policy.json").read_text(encoding="utf-8"))
    upcoming = json.loads((out / "versions" / "2099-01-01" / "policy.json").read_text(encoding="utf-8"))
    for doc in (current, upcoming):
        jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert (current["version"], current["current"], current["effective"]) == ("2024-06-01", True, "2024-06-01")
    assert (upcoming["version"], upcoming["current"]) == ("2099-01-01", False)


def test_require_site_url_is_the_one_site_url_check(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    assert require_site_url(read_project(config)) == "https://example.org/privacy/"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_url: https://example.org/privacy/\n", ""),
        encoding="utf-8",
    )
    options = read_project(config)
    with pytest.raises(BuildError, match=r"set site_url in mkdocs\.yml") as info:
        require_site_url(options)
    inputs = inputs_on(read_project(config), TODAY)
    for feed in (atom_feed, json_feed):
        with pytest.raises(BuildError) as again:
            feed(inputs)
        assert str(again.value) == str(info.value)


def test_data_doc_matches_the_version_of_a_project_without_releases(tmp_path: Path) -> None:
    """docs/data.md: before the first release `version` is policy.yaml's effective date, else "draft"."""
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    inputs = site.prepare(read_project(config))
    assert inputs.history.newest is None
    assert policy_data(inputs, inputs.current, None)["version"] == "2025-03-01"
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    policy.write_text(
        "".join(
            line
            for line in policy.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("effective:", "updated:"))
        ),
        encoding="utf-8",
    )
    undated = site.prepare(read_project(config))
    assert policy_data(undated, undated.current, None)["version"] == "draft"
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| `version` |"))
    assert "`effective` date of `policy.yaml`" in row and '`"draft"` when `policy.yaml` has none' in row

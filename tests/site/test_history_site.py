"""Building a project with releases: history pages, change pages, feeds, data, drafts, immutability."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import PolicyError
from policyforge.history.dates import TODAY_ENV
from policyforge.mkdocs_plugin import engine
from policyforge.site import build as site_module
from policyforge.site.build import generate_pages
from tests.conftest import FIXTURES, copy_project, invoke
from tests.helpers import FUTURE, TODAY, inputs_on, upcoming_project


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return engine.build(copy_project(tmp_path_factory.mktemp("hist"), FIXTURES / "history-basic"))


def test_pages_and_files_exist(built: Path) -> None:
    for path in (
        "versions/index.html",
        "versions/2024-01-01/index.html",
        "versions/2024-06-01/index.html",
        "changes/2024-01-01/index.html",
        "changes/2024-06-01/index.html",
        "changes/since/2024-01-01/index.html",
        "changes/since/2024-06-01/index.html",
        "feed.xml",
        "feed.json",
        "policy.json",
        "versions.json",
        "versions/2024-01-01/policy.json",
    ):
        assert (built / path).is_file(), path
    assert not (built / "draft").exists()


def test_current_policy_links_to_its_change_page(built: Path) -> None:
    html = read(built, "index.html")
    assert '<a class="pf-what-changed" href="changes/2024-06-01/">what changed</a>' in html
    assert "Sharing With Others" in html and "errors you see" in html


def test_versions_index(built: Path) -> None:
    html = read(built, "versions/index.html")
    assert html.index('data-version="2024-06-01"') < html.index('data-version="2024-01-01"')
    row = html[html.index('data-version="2024-06-01"') : html.index('data-version="2024-01-01"')]
    assert "Consent-relevant" in row and "Current" in row and 'href="../changes/2024-06-01/"' in row
    assert 'href="../versions/2024-06-01/"' in row


def test_archived_version_page(built: Path) -> None:
    html = read(built, "versions/2024-01-01/index.html")
    assert "Archived version, not current" in html
    assert 'class="pf-current-link" href="../../"' in html
    assert 'href="../../versions/2024-06-01/"' in html  # next version
    assert 'id="sharing"' in html and "Sharing With Others" not in html
    assert "errors you see" not in html
    current = read(built, "versions/2024-06-01/index.html")
    assert "Current version" in current and "Archived version, not current" not in current
    assert 'href="../../versions/2024-01-01/"' in current  # previous version


def test_change_pages(built: Path) -> None:
    first = read(built, "changes/2024-01-01/index.html")
    assert "first published version" in first
    html = read(built, "changes/2024-06-01/index.html")
    assert '<ins><span class="pf-sr">added: </span>press and the errors you see.</ins>' in html
    assert '<del><span class="pf-sr">removed: </span>visit and</del>' in html
    assert 'data-section="contact" data-change="moved"' in html
    assert 'data-section="sharing" data-change="renamed"' in html
    assert "pf-badge-consent" in html and "_tiny_stats" in html
    assert 'href="../../versions/2024-06-01/#usage"' in html
    since = read(built, "changes/since/2024-01-01/index.html")
    assert "errors you see" in since
    assert "nothing has changed since" in read(built, "changes/since/2024-06-01/index.html")


def test_feeds_and_data(built: Path) -> None:
    assert "https://example.org/privacy/changes/2024-06-01/" in read(built, "feed.xml")
    versions = json.loads(read(built, "versions.json"))
    assert versions["current"] == "2024-06-01"
    assert 'type="application/atom+xml"' in read(built, "versions/2024-01-01/index.html")


def test_draft_is_published_only_on_request(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("never sell", "DRAFTWORD never sell"), encoding="utf-8"
    )
    plain = engine.build(config, site_dir=tmp_path / "plain")
    assert not (plain / "draft").exists()
    assert not any(
        "DRAFTWORD" in p.read_text(encoding="utf-8", errors="replace")
        for p in plain.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml")
    )
    drafted = engine.build(config, draft=True, site_dir=tmp_path / "drafted")
    html = read(drafted, "draft/index.html")
    assert "Draft, not in effect" in html
    assert '<ins><span class="pf-sr">added: </span>DRAFTWORD</ins>' in html
    assert "DRAFTWORD" not in read(drafted, "feed.xml") and "DRAFTWORD" not in read(drafted, "index.html")


def test_tampered_history_fails_and_keeps_the_previous_site(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    site = engine.build(config)
    before = read(site, "index.html")
    version = tmp_path / "p" / "policy_source" / "versions" / "2024-01-01.yaml"
    expected = hashlib.sha256(version.read_bytes()).hexdigest()
    version.write_text(version.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    actual = hashlib.sha256(version.read_bytes()).hexdigest()
    result = invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 2
    assert "ERROR: policy_source/versions/2024-01-01.yaml" in result.stderr
    assert expected in result.stderr and actual in result.stderr
    assert "hint: A published version is never rewritten" in result.stderr
    with pytest.raises(PolicyError):
        engine.build(config)
    assert read(site, "index.html") == before
    assert not list(site.parent.glob(".site.*.tmp"))


# --- Releases dated in the future ---------------------------------------------------------------


def test_upcoming_release_pages(tmp_path: Path) -> None:
    pages = generate_pages(inputs_on(upcoming_project(tmp_path / "p"), TODAY))
    index = pages["index.md"]
    assert 'Effective Date: <time datetime="2024-06-01">June 1, 2024</time>' in index
    assert "2099" not in index.replace(
        '<a class="pf-upcoming-link" href="changes/2099-01-01/">An updated version takes effect on '
        '<time datetime="2099-01-01">January 1, 2099</time></a>',
        "",
    )
    assert '<a class="pf-what-changed" href="changes/2024-06-01/">what changed</a>' in index
    versions = pages["versions/index.md"]
    rows = dict(re.findall(r'<tr data-version="([\d-]+)" data-status="(\w+)">', versions))
    assert rows == {"2099-01-01": "upcoming", "2024-06-01": "current", "2024-01-01": "archived"}
    upcoming_row = versions[versions.index('data-version="2099-01-01"') : versions.index('data-version="2024-06-01"')]
    assert 'Upcoming, takes effect on <time datetime="2099-01-01">January 1, 2099</time>' in upcoming_row
    assert "Current" not in upcoming_row
    text = pages["versions/2099-01-01.md"]
    assert 'Not yet in effect: takes effect on <time datetime="2099-01-01">January 1, 2099</time>' in text
    assert "Current version" not in text and "Archived version" not in text
    current = pages["versions/2024-06-01.md"]
    assert "Current version" in current and "It will be replaced on" in current
    assert "Archived version, not current" in pages["versions/2024-01-01.md"]
    change = pages["changes/2099-01-01.md"]
    assert "What changes on January 1, 2099" in change and "pf-badge-upcoming" in change
    assert "_tiny_stats" in change  # the cookie change is shown in advance
    since = pages["changes/since/2024-01-01.md"]
    assert 'current version of <time datetime="2024-06-01">' in since and "2 years" not in since
    assert "nothing has changed since" in pages["changes/since/2024-06-01.md"]
    assert "not in effect yet" in pages["changes/since/2099-01-01.md"]


def test_on_its_effective_date_the_upcoming_release_becomes_current(tmp_path: Path) -> None:
    pages = generate_pages(inputs_on(upcoming_project(tmp_path / "p"), FUTURE))
    assert 'Effective Date: <time datetime="2099-01-01">January 1, 2099</time>' in pages["index.md"]
    assert "pf-upcoming" not in pages["index.md"] and "pf-badge-upcoming" not in pages["versions/index.md"]
    assert "Current version" in pages["versions/2099-01-01.md"]


def test_build_shows_the_version_in_effect_and_announces_the_upcoming_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = upcoming_project(tmp_path / "p")
    assert options.config_file is not None
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    built = engine.build(options.config_file)
    html = read(built, "index.html")
    assert '<time datetime="2024-06-01">June 1, 2024</time>' in html and "January 1, 2099</time></span>" not in html
    assert 'class="pf-upcoming-link" href="changes/2099-01-01/"' in html
    assert "An updated version takes effect on" in html
    assert "Not yet in effect: takes effect on" in read(built, "versions/2099-01-01/index.html")
    assert "Upcoming, takes effect on" in read(built, "versions/index.html")
    assert (built / "changes/2099-01-01/index.html").is_file()
    assert json.loads(read(built, "policy.json"))["version"] == "2024-06-01"
    assert json.loads(read(built, "versions.json"))["current"] == "2024-06-01"
    assert "Upcoming version, takes effect on January 1, 2099" in read(built, "feed.xml")
    # The banner keeps the consent revision in effect: visitors are not asked again before 2099.
    prepared = site_module.prepare(options)
    assert prepared.version == "2024-06-01" and prepared.current.effective == dt.date(2024, 6, 1)
    assert prepared.history.newest is not None and prepared.history.newest.date == "2099-01-01"


def test_before_the_first_release_takes_effect_it_is_shown_as_upcoming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = upcoming_project(tmp_path / "p")
    monkeypatch.setenv(TODAY_ENV, "2023-06-01")
    prepared = site_module.prepare(options)
    first = prepared.history.releases[0]
    assert prepared.history.in_effect() is None
    assert prepared.current == first.policy and prepared.version == first.date


def test_before_the_first_release_takes_effect_the_site_says_so(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    args = ["release", "-f", str(config), "--effective", "2099-01-01", "--summary", "First."]
    result = invoke(main, args)
    assert result.exit_code == 0, result.output
    built = invoke(main, ["build", "-f", str(config)])
    assert built.exit_code == 0, built.output
    site = tmp_path / "p" / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Not yet in effect: takes effect on" in index
    assert (site / "versions" / "index.html").is_file() and (site / "changes" / "2099-01-01" / "index.html").is_file()

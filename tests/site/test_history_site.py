"""Building a project with releases: history pages, change pages, feeds, data, drafts, immutability."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyforge.cli import main
from policyforge.errors import PolicyError
from policyforge.mkdocs_plugin import engine
from tests.conftest import FIXTURES, copy_project


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
    result = CliRunner().invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 2
    assert "ERROR: policy_source/versions/2024-01-01.yaml" in result.stderr
    assert expected in result.stderr and actual in result.stderr and "new release" in result.stderr
    with pytest.raises(PolicyError):
        engine.build(config)
    assert read(site, "index.html") == before
    assert not list(site.parent.glob(".site.*.tmp"))

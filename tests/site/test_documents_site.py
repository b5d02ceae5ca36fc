"""Several documents on one site: URL spaces, feeds per document and for all, `doc:` links, no consent."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import feedparser
import jsonschema
import pytest

from policyforge.errors import PolicyError
from policyforge.history.release import release
from policyforge.mkdocs_plugin import engine
from policyforge.site.data import load_schema
from policyforge.source.documents import document_options
from policyforge.source.options import read_project
from tests.conftest import FIXTURES


def _release(config: Path, document: str, effective: str, summary: str) -> None:
    options = document_options(read_project(config), document)
    day = dt.date.fromisoformat(effective)
    release(options, day, summary, published=day, backdate=True)


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-document fixture with releases of both documents, built; returns its site/."""
    project = tmp_path_factory.mktemp("docs") / "p"
    shutil.copytree(FIXTURES / "multidoc", project)
    config = project / "mkdocs.yml"
    _release(config, "privacy", "2025-03-01", "First privacy policy.")
    _release(config, "terms", "2025-03-01", "First terms.")
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(terms.read_text().replace("as is,", "as is, without warranty,"))
    _release(config, "terms", "2025-04-01", "Warranty clarified.")
    return engine.build(config)


def test_each_document_has_its_own_url_space(two_docs: Path) -> None:
    for path in (
        "index.html",
        "versions/index.html",
        "changes/2025-03-01/index.html",
        "feed.xml",
        "feed.json",
        "policy.json",
        "versions.json",
        "versions/2025-03-01/policy.json",
        "consent/consent.js",
        "terms/index.html",
        "terms/versions/index.html",
        "terms/changes/2025-04-01/index.html",
        "terms/versions/2025-03-01/index.html",
        "terms/feed.xml",
        "terms/feed.json",
        "terms/policy.json",
        "terms/versions.json",
        "feeds/all.xml",
        "feeds/all.json",
    ):
        assert (two_docs / path).is_file(), path
    assert not (two_docs / "terms" / "consent").exists()  # one banner, from the document that declares consent
    terms = (two_docs / "terms" / "index.html").read_text(encoding="utf-8")
    assert "Terms of Use" in terms and "without warranty" in terms
    assert 'href="../feed.xml"' not in terms and 'href="../terms/feed.xml"' in terms  # its own feed is announced
    assert 'src="../consent/consent.js"' in terms  # the site's banner on every page
    data = json.loads((two_docs / "terms" / "policy.json").read_text(encoding="utf-8"))
    assert data["urls"]["policy"] == "https://docs.fixture.example/terms/"
    for path, schema in (
        ("terms/policy.json", "policy-data.schema.json"),
        ("terms/versions.json", "versions.schema.json"),
        ("terms/versions/2025-03-01/policy.json", "policy-data.schema.json"),
    ):
        jsonschema.validate(
            json.loads((two_docs / path).read_text(encoding="utf-8")),
            load_schema(schema),
            cls=jsonschema.Draft202012Validator,
        )


def test_feeds_per_document_and_for_all(two_docs: Path) -> None:
    privacy = feedparser.parse((two_docs / "feed.xml").read_text(encoding="utf-8"))
    terms = feedparser.parse((two_docs / "terms" / "feed.xml").read_text(encoding="utf-8"))
    both = feedparser.parse((two_docs / "feeds" / "all.xml").read_text(encoding="utf-8"))
    assert not (privacy.bozo or terms.bozo or both.bozo)
    assert [e.link for e in privacy.entries] == ["https://docs.fixture.example/changes/2025-03-01/"]
    assert [e.link for e in terms.entries] == [
        "https://docs.fixture.example/terms/changes/2025-04-01/",
        "https://docs.fixture.example/terms/changes/2025-03-01/",
    ]
    assert {e.link for e in both.entries} == {e.link for e in (*privacy.entries, *terms.entries)}
    assert both.entries[0].title == "Terms of Use — Tiny App: Version of April 1, 2025"
    assert both.feed.links[0].href == "https://docs.fixture.example/feeds/all.xml"
    data = json.loads((two_docs / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert data["feed_url"] == "https://docs.fixture.example/feeds/all.json"
    assert [(i["_policyforge"]["document"], i["_policyforge"]["effective"]) for i in data["items"]] == [
        ("terms", "2025-04-01"),
        ("privacy", "2025-03-01"),
        ("terms", "2025-03-01"),
    ]


def test_cross_document_links_are_relative_links(two_docs: Path) -> None:
    privacy = (two_docs / "index.html").read_text(encoding="utf-8")
    assert '<a href="terms/#liability">terms of use</a>' in privacy
    terms = (two_docs / "terms" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../#introduction">privacy policy</a>' in terms
    archived = (two_docs / "terms" / "versions" / "2025-03-01" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../../#introduction">privacy policy</a>' in archived
    assert "doc:" not in privacy + terms + archived


def test_an_unknown_document_link_stops_the_build(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "multidoc", project)
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(terms.read_text().replace("doc:privacy#introduction", "doc:privacy#nowhere"))
    with pytest.raises(
        PolicyError,
        match=r"terms_source/policy.yaml:12: link to unknown section "
        r"`doc:privacy#nowhere`",
    ):
        engine.build(project / "mkdocs.yml")
    assert not (project / "site").exists()


def test_a_site_whose_documents_declare_no_consent_builds_without_banner(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "multidoc", project)
    config = project / "mkdocs.yml"
    config.write_text(
        re.sub(r"        - \{id: privacy.*\n", "", config.read_text()).replace(
            "  - Privacy Policy: index.md\n  - Terms of Use: terms/index.md\n", "  - Terms of Use: index.md\n"
        )
    )
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(terms.read_text().replace("[privacy policy](doc:privacy#introduction)", "privacy policy"))
    site = engine.build(config)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Terms of Use" in html and "Liability" in html
    assert not (site / "consent").exists() and "consent.js" not in html and "data-policyforge-settings" not in html


def _site_urls(site: Path) -> list[str]:
    """The files of a built site (theme assets aside, hashes as HASH) and the pages of its sitemap."""
    theme = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "search/")
    files = sorted(
        str(p.relative_to(site))
        for p in site.rglob("*")
        if p.is_file() and p.name != "sitemap.xml.gz" and not str(p.relative_to(site)).startswith(theme)
    )
    files = [re.sub(r"\.[0-9a-f]{10}\.(js|css)$", r".HASH.\1", f) for f in files]
    return files + re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))


def test_a_one_document_project_keeps_its_urls(tmp_path: Path) -> None:
    """The file and page list of history-basic, as built before several documents existed."""
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "history-basic", project)
    site = engine.build(project / "mkdocs.yml", draft=True)
    expected = (FIXTURES / "history-basic-urls.txt").read_text(encoding="utf-8").splitlines()
    assert _site_urls(site) == expected
    feed = feedparser.parse((site / "feed.xml").read_text(encoding="utf-8"))
    assert [e.link for e in feed.entries] == [
        "https://example.org/privacy/changes/2024-06-01/",
        "https://example.org/privacy/changes/2024-01-01/",
    ]
    assert not (site / "feeds").exists()


def test_the_example_publishes_its_sample_terms(built_example: Path) -> None:
    terms = (built_example / "terms" / "index.html").read_text(encoding="utf-8")
    assert "This is a sample document." in terms
    assert '<a href="../#introduction">Privacy Policy</a>' in terms
    assert (built_example / "terms" / "changes" / "2025-09-01" / "index.html").is_file()
    both = feedparser.parse((built_example / "feeds" / "all.xml").read_text(encoding="utf-8"))
    assert {e.link.split("/")[3] for e in both.entries} == {"changes", "terms"}
    assert len(both.entries) == 4  # the privacy policy's three releases and the terms' one

"""The content constructs on the built site: every one on the policy page, and change
pages that keep the document's structure (lists stay lists, tables stay tables, link targets told)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from policyforge.history.dates import TODAY_ENV
from policyforge.history.release import release
from policyforge.mkdocs_plugin import engine
from policyforge.source.options import read_project
from tests.conftest import FIXTURES, copy_project

CONSTRUCTS = FIXTURES / "content-constructs"


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


@pytest.fixture(scope="module")
def policy_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    config = copy_project(tmp_path_factory.mktemp("constructs"), CONSTRUCTS)
    site = engine.build(config)
    return article((site / "index.html").read_text(encoding="utf-8"))


def test_preamble_comes_before_the_first_section_with_link_base(policy_page: str) -> None:
    preamble = policy_page.index('<div class="pf-preamble">')
    assert preamble < policy_page.index('<h2 id="data-we-process">')
    assert '<a href="https://www.constructs.example/docs/statement(v2).pdf">statement of 2023</a>' in policy_page


def test_section_title_with_inline_markdown(policy_page: str) -> None:
    assert (
        '<h2 id="data-we-process"><span class="pf-num">1.</span> Data we <em>process</em> and <code>why</code>'
        in policy_page
    )


def test_lists_as_commonmark_renders_them(policy_page: str) -> None:
    body = policy_page[policy_page.index('data-section="data-we-process"') :]
    assert (
        "<p>We process the following data:</p><ul><li>account data<ul><li>name and e-mail address<ul>"
        "<li>only what you give us</li></ul></li></ul></li><li>usage data<ul><li>pages visited</li></ul></li></ul>"
        in body
    )
    assert '<ol start="3"><li>third step first</li><li>fourth step</li></ol>' in body
    assert re.search(r"<p>Constructs Ltd<br ?/?> 1 Main Street<br ?/?> London</p>", body)


def test_pipe_table_and_yaml_table(policy_page: str) -> None:
    assert (
        '<div class="pf-table" role="region" aria-label="Table" tabindex="0"><table><thead><tr>'
        '<th>Category of data</th><th class="pf-align-center">Source</th>' in policy_page
    )
    assert "<td>Contact details</td>" in policy_page and "style=" not in policy_page
    assert (
        '<div class="pf-table" role="region" aria-label="How long we keep data" tabindex="0"><table>'
        '<caption>How long we keep data</caption><thead><tr><th scope="col">Data</th>' in policy_page
    )
    assert "<td>Invoices</td><td>10 years</td>" in policy_page


def test_footnotes_and_in_page_links(policy_page: str) -> None:
    assert '<a href="#fn-data-we-process-1" id="fnref-data-we-process-1">[1]</a>' in policy_page
    assert '<li id="fn-data-we-process-1" class="footnote-item">' in policy_page
    assert '<a href="#data-we-process">the data we process</a>' in policy_page


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The constructs policy released, then released again with a new bulleted subsection, a table
    cell changed and a link target changed; returns the built site."""
    mp = pytest.MonkeyPatch()
    mp.setenv(TODAY_ENV, "2025-06-01")
    try:
        options = read_project(copy_project(tmp_path_factory.mktemp("history"), CONSTRUCTS))
        release(options, dt.date(2025, 1, 1), "First.", backdate=True, published=dt.date(2025, 1, 1))
        text = options.policy_file.read_text(encoding="utf-8")
        text = text.replace("statement(v2).pdf", "statement(v3).pdf")
        text = text.replace("- [Invoices, 10 years]", "- [Invoices, 6 years]")
        text = text.replace(
            "  - id: cookies\n",
            "    sections:\n      - id: new-purposes\n"
            "        title: New purposes\n        text: |\n          We now also use your data to:\n"
            "          - prevent fraud\n          - improve search\n  - id: cookies\n",
        )
        options.policy_file.write_text(text, encoding="utf-8")
        release(options, dt.date(2025, 6, 1), "New purposes, shorter invoice retention.")
        assert options.config_file is not None
        return engine.build(options.config_file)
    finally:
        mp.undo()


def test_new_bulleted_subsection_shows_as_a_list_on_its_change_page(two_versions: Path) -> None:
    page = article((two_versions / "changes" / "2025-06-01" / "index.html").read_text(encoding="utf-8"))
    added = page[page.index('data-section="new-purposes"') :]
    added = added[: added.index("</section>")]
    assert 'data-change="added"' in page[page.index('data-section="new-purposes"') - 80 :]
    assert (
        '<div class="pf-redline"><p><ins><span class="pf-sr">added: </span>We now also use your data to:</ins>'
        '</p><ul><li><ins><span class="pf-sr">added: </span>prevent fraud</ins></li>'
        '<li><ins><span class="pf-sr">added: </span>improve search</ins></li></ul></div>'
    ) in added


def test_changed_table_cell_stays_in_its_table(two_versions: Path) -> None:
    page = article((two_versions / "changes" / "2025-06-01" / "index.html").read_text(encoding="utf-8"))
    retention = page[page.index('data-section="retention"') :]
    retention = retention[: retention.index("</section>")]
    assert re.search(
        r"<table><thead><tr><th>Data</th><th>Retention</th></tr></thead><tbody>.*"
        r'<tr><td>Invoices</td><td><del><span class="pf-sr">removed: </span>10</del> '
        r'<ins><span class="pf-sr">added: </span>6</ins> years</td></tr></tbody></table>',
        retention,
    )


def test_changed_link_target_is_told_on_the_page_and_in_the_feed(two_versions: Path) -> None:
    page = article((two_versions / "changes" / "2025-06-01" / "index.html").read_text(encoding="utf-8"))
    assert (
        "Link target changed: https://www.constructs.example/docs/statement(v2).pdf → "
        "https://www.constructs.example/docs/statement(v3).pdf"
    ) not in page  # targets as written in the YAML
    assert "Link target changed: /docs/statement(v2).pdf → /docs/statement(v3).pdf" in page
    assert "Link targets changed: 1" in page
    feed = json.loads((two_versions / "feed.json").read_text(encoding="utf-8"))
    assert "Link targets changed: 1" in feed["items"][0]["content_text"]


def test_a_republication_is_shown_as_such_on_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(text.replace("We never sell", "We *never* sell"), encoding="utf-8")
    release(options, dt.date(2024, 7, 1), "Restated with emphasis.", republish=True)
    assert options.config_file is not None
    site = engine.build(options.config_file)
    versions = article((site / "versions" / "index.html").read_text(encoding="utf-8"))
    row = versions[versions.index('data-version="2024-07-01"') :]
    assert "Republished, text unchanged" in row[: row.index("</tr>")]
    change = article((site / "changes" / "2024-07-01" / "index.html").read_text(encoding="utf-8"))
    assert "Republished without changes to the text" in change and "Sections changed" not in change
    data = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert data["versions"][0]["republished"] is True and data["versions"][1]["republished"] is False
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert "republished" in feed["items"][0]["tags"]
    assert feed["items"][0]["title"].endswith(" · Republished, text unchanged")

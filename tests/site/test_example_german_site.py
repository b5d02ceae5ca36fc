"""The built example in German: /de/ shows every section in German, exactly one stale notice (International
Transfers, translated from the 2025-03-01 English), the sample terms in German with their link to the German
privacy policy, and a banner that carries the German texts of the example's translation."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from policyforge.source.loader import load_policy
from policyforge.source.numbering import numbered_sections
from policyforge.source.options import read_project
from policyforge.translation.apply import translate_policy
from policyforge.translation.read import translation_problems
from tests.conftest import ROOT

STALE = (
    "international-transfers",
    "stale: Die Originalfassung dieses Abschnitts (Englisch) wurde am 1. September 2025 geändert und ist maßgeblich.",
)


def notices(page: str) -> list[tuple[str, str]]:
    """(section id, status: text) of each section's translation notice on a page."""
    found = re.findall(r'<div class="[^"]*\bpf-translation-(\w+)"[^>]*\bdata-section="([^"]+)">(.*?)</div>', page, re.S)
    return [(section, f"{status}: {re.findall(r'<p>(.*?)</p>', inner, re.S)[-1]}") for status, section, inner in found]


def headings(page: str) -> dict[str, str]:
    """Section id -> heading text (number and title) of each section heading on a page."""
    found = re.findall(r'<h[2-4] id="([^"]+)">(.*?)</h[2-4]>', page, re.S)
    return {
        sid: html.unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", text)).strip() for sid, text in found
    }


def german_titles(source: str) -> dict[str, str]:
    """Section id -> its German title, as the example's translation gives it."""
    options = read_project(ROOT / "mkdocs.yml").model_copy(update={"source": ROOT / source})
    policy = load_policy(options.policy_file)
    found, errors, _ = translation_problems(options, policy)
    assert not errors
    german = translate_policy(policy, found["de"]).policy
    return {ns.section.id: f"{ns.label} {ns.section.title}" for ns in numbered_sections(german.sections)}


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_german_policy_page_has_every_section_in_german_and_one_stale_notice(built_example: Path) -> None:
    german = page(built_example, "de")
    assert '<html lang="de"' in german and '<body dir="ltr"' in german
    titles = german_titles("policy_source")
    assert {sid: headings(german)[sid] for sid in titles} == titles  # 2.4 Cookies und Tracking, 9. ...
    assert notices(german) == [STALE]
    assert "Soweit das anwendbare Recht dies verlangt" in german  # the stale German text is shown, with its notice
    assert "Standard Contractual Clauses" not in german
    assert notices(page(built_example, "")) == []  # the English original has no notices


def test_german_terms_page_is_current_and_links_to_the_german_policy(built_example: Path) -> None:
    terms = page(built_example, "de/terms")
    titles = german_titles("terms_source")
    assert {sid: headings(terms)[sid] for sid in titles} == titles
    assert notices(terms) == []
    assert '<a href="../#introduction">Datenschutzerklärung</a>' in terms  # doc:privacy#introduction, in /de/
    assert "Dies ist ein Musterdokument." in terms


def test_banner_carries_the_examples_german_texts(built_example: Path) -> None:
    """The German first stage carries the German notice; the second stage every German text."""
    german = (built_example / "consent" / "consent-de.js").read_text(encoding="utf-8")
    assert json.dumps("Cookies bei GPT Image 2")[1:-1] in german
    second = re.search(r"consent\.settings\.[0-9a-f]{10}\.js", german)
    assert second is not None
    script = (built_example / "consent" / second.group(0)).read_text(encoding="utf-8")
    for text in (
        "Cookies bei GPT Image 2",
        "Notwendige Cookies",
        "Marketing-Cookies",
        "Zählt Besuche; wird vom Demo-Analyseskript dieser Website erst nach Ihrer Einwilligung gesetzt",
        "Mit Ihrer Einwilligung verwenden wir außerdem Analyse-, Präferenz- und Marketing-Cookies.",
    ):
        assert json.dumps(text)[1:-1] in script, text  # as the script writes it: JSON, non-ASCII escaped


def test_german_archive_pages_show_the_translation_frozen_with_their_release(built_example: Path) -> None:
    """The German was frozen with 2025-09-01 (`translate freeze de`); 2025-03-01 has no German copy."""
    frozen = page(built_example, "de/versions/2025-09-01")
    titles = german_titles("policy_source")
    assert {sid: headings(frozen)[sid] for sid in titles} == titles
    assert notices(frozen) == [STALE]
    older = page(built_example, "de/versions/2025-03-01")
    assert "Für diese Fassung gibt es keine Übersetzung" in older
    assert "Introduction" in older and "Einleitung" not in older


# The record cookie's cell in a cookie table: its name on https and on http.
RECORD_NAMES = "<code>__Host-pf_consent</code> (<code>https</code>), <code>pf_consent</code> (<code>http</code>)"


def test_cookie_durations_and_providers_are_marked_as_the_originals(built_example: Path) -> None:
    """A provider and a duration written as text come from the original, never translated: a translated page says
    which language they are in. A duration written as a period is in the page's own language (Babel)."""
    german, english = page(built_example, "de"), page(built_example, "")
    row = re.search(r'<tr data-cookie="pf_consent">(.*?)</tr>', german, re.S)
    assert row is not None and row.group(1).count('<td lang="en" dir="ltr">') == 1  # the provider
    assert row.group(1).endswith("<td>180 Tage</td>")  # the record's lifetime, P180D
    palette = re.search(r'<tr data-cookie="/.__palette">(.*?)</tr>', german, re.S)
    assert palette is not None and '<td lang="en" dir="ltr">until you clear your browser data</td>' in palette.group(1)
    analytics = re.search(r'<tr data-cookie="_pf_demo_analytics">(.*?)</tr>', german, re.S)
    assert analytics is not None and analytics.group(1).endswith("<td>1 Jahr</td>")
    assert f'data-cookie="pf_consent"><td>{RECORD_NAMES}</td>' in english
    assert re.search(r'<tr data-cookie="pf_consent">.*?<td>180 days</td></tr>', english, re.S)


def test_cookie_table_names_the_record_as_the_banner_sets_it(built_example: Path) -> None:
    """The banner stores its record as ``__Host-pf_consent`` on https and ``pf_consent`` on http: the table says
    both (issue 25.6); other cookies keep their one name."""
    for text in (page(built_example, "de"), page(built_example, "")):
        row = re.search(r'<tr data-cookie="pf_consent"><td>(.*?)</td>', text, re.S)
        assert row is not None and row.group(1) == RECORD_NAMES
        assert '<tr data-cookie="_pf_demo_analytics"><td><code>_pf_demo_analytics</code></td>' in text


def test_change_pages_name_the_record_as_the_policy_page_does(built_example: Path) -> None:
    """The 2025-09-01 release declared the record cookie: its change page (and the German one) names it by both
    names, as the cookie table does, from one definition (``record_cookie_names``); other cookies keep one."""
    for prefix, label in (("", "Cookie"), ("de/", "Cookie")):
        changes = page(built_example, f"{prefix}changes/2025-09-01")
        assert f"{label} {RECORD_NAMES}:" in changes, prefix
        assert "<code>pf_consent</code>:" not in changes and ">pf_consent<" not in changes.replace(RECORD_NAMES, "")

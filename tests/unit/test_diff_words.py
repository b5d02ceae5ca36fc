"""A diff is data; the site words it in the page's language (site/diff_words.py), the CLI in English (issue 22)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from policyforge.history.diff import diff_policies, diff_to_json
from policyforge.site.build import generate_pages
from policyforge.site.diff_words import Words
from policyforge.site.redline import diff_html
from policyforge.site.strings import page_language
from policyforge.source.loader import load_policy
from tests.helpers import TODAY, inputs_on, upcoming_project
from tests.unit.test_diff import BASE, CATS, NEW_CATS, policy, section


def changed_diff():  # type: ignore[no-untyped-def]
    new = [section("a", "Read [it](/b.pdf) today."), section("b", title="Bee"), *BASE[2:]]
    old = [section("a", "Read [it](/a.pdf) now."), *BASE[1:]]
    return diff_policies(policy(old, CATS), policy(new, NEW_CATS, title="Privacy Notice"))


def test_the_diff_is_data_without_sentences() -> None:
    data = diff_to_json(changed_diff())
    assert "summary" not in data
    assert data["counts"] == {
        "added": 0,
        "removed": 0,
        "moved": 0,
        "renamed": 1,
        "changed": 1,
        "links": 1,
        "unchanged": 5,
    }
    assert [data["consent"][1][key] for key in ("kind", "subject", "name")] == ["changed", "cookie", "_a"]
    assert data["consent"][1]["new"]["duration"] == "2 years"
    assert data["document"] == [
        {"kind": "changed", "subject": "title", "name": "title", "old": "Privacy Policy", "new": "Privacy Notice"}
    ]
    assert json.loads(json.dumps(data)) == data


def test_a_german_page_tells_the_diff_in_german() -> None:
    d = changed_diff()
    with page_language("de"):
        html = diff_html(d)
    for german in (
        "Was sich geändert hat",
        "Umbenannte Abschnitte: 1 · Geänderte Abschnitte: 1 · Geänderte Linkziele: 1",
        "Einwilligungsrelevant",
        "Änderungen an Cookies, Einwilligung und Dokument",
        "Linkziel geändert: /a.pdf → /b.pdf",
        "Unveränderte Abschnitte: 5",
        "Umbenannt von ",
        '<span class="pf-sr">hinzugefügt: </span>',
        "Einwilligungskategorie marketing: Marketing (optional); Google-Einwilligungsmodus: <code>ad_storage</code>",
        "Titel: Privacy Policy → Privacy Notice",
    ):
        assert german in html, german
    text = re.sub(r"<[^>]+>", " ", html)
    for english in ("unchanged", "sections", "changed", "Renamed", "added:", "Consent-relevant", "link target"):
        assert english not in text, english


def test_a_translated_page_marks_the_originals_words_and_not_its_own() -> None:
    with page_language("de", "en"):
        html = diff_html(changed_diff())
    assert '<div class="pf-redline" lang="en" dir="ltr">' in html
    assert '<span class="pf-sr" lang="de" dir="ltr">entfernt: </span>' in html  # the page's words inside it
    assert (
        'Umbenannt von <del><span class="pf-sr" lang="de" dir="ltr">entfernt: </span><span lang="en" dir="ltr">B</span>'
        in html
    )
    assert '<li>3. <span lang="en" dir="ltr">C</span></li>' in html  # an unchanged section's title


def test_the_cli_speaks_the_same_english() -> None:
    words = Words("en", html=False)
    d = changed_diff()
    assert words.summary(d) == (
        "Sections renamed: 1 · Sections changed: 1 · Link targets changed: 1 · Cookie and consent changes: 2 · "
        "Document details changed: 1 · Words: +1/−1 · Consent-relevant"
    )
    assert [words.item(i) for i in d.consent] == [
        "Consent category marketing: Marketing (optional); Google Consent Mode: ad_storage",
        "Cookie _a: Analytics; Us; Count; 1 year → Analytics; Us; Count; 2 years",
    ]
    assert [words.section_label(part, "", "") for part in ("@preamble", "@quick-reference", "@closing")] == [
        "Preamble",
        "Quick Reference",
        "Closing",
    ]
    assert words.field_change("title", "Usage", "Usage data") == "Title: Usage → Usage data"


def test_the_draft_page_of_a_german_original_speaks_german(tmp_path: Path) -> None:
    options = upcoming_project(tmp_path / "p").model_copy(update={"language": "de"})
    inputs = dataclasses.replace(inputs_on(options, TODAY), draft=load_policy(options.policy_file))
    page = next(text for path, text in generate_pages(inputs).items() if path.startswith("draft"))
    assert "Entwurf, nicht in Kraft" in page and "## Vollständiger Text des Entwurfs {#pf-draft-text}" in page
    assert 'identisch mit der angekündigten Fassung vom <time datetime="2099-01-01">1. Januar 2099</time>.' in page
    assert not re.search(r"\b(Draft|draft is|Compared with|Full text)\b", page)

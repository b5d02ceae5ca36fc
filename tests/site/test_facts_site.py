"""The facts rendered where the editor places them (`include: processing`, `recipients`, `rights`, `controller`),
with the prose around them, durations and labels in each site language, and `policy.json` carrying them as data
that validates against its published schema. The fixture is tests/fixtures/facts-site/ (English, German)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from policyforge.banner.config import site_banner
from policyforge.mkdocs_plugin import engine
from policyforge.site.data import load_schema
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("facts") / "p"
    shutil.copytree(FIXTURES / "facts-site", project)
    return engine.build(project / "mkdocs.yml")


def body(site: Path, lang: str, section: str) -> str:
    """The body of one section on the policy page of ``lang`` ("" for the original)."""
    page = (site / lang / "index.html").read_text(encoding="utf-8")
    pattern = rf'<div class="pf-body" data-section="{section}"[^>]*>(.*?)</div>\s*(?:<h2|</article>)'
    found = re.search(pattern, page, re.S)
    assert found, section
    return found.group(1)


def cells(html: str, row: str) -> list[str]:
    """The text of each cell (header cell included) of the row ``data-…="row"``."""
    found = re.search(rf'<tr data-\w+="{row}">(.*?)</tr>', html, re.S)
    assert found, row
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)]


def test_processing_table_stands_between_the_prose_of_its_section(site: Path) -> None:
    html = body(site, "", "processing")
    assert html.index("Each purpose below comes with") < html.index("<table") < html.index("We never use your data")
    assert cells(html, "accounts") == [
        "Run your account",
        "User Contact Email, Name",
        "Contract (Art. 6(1)(b) GDPR)",
        "30 days after account deletion",
        "Cloud Host GmbH",
    ]
    lead = cells(html, "leads")
    assert lead[2] == "Legitimate interests (Art. 6(1)(f) GDPR): Finding business customers for Tiny App"
    assert lead[3] == "Until the prospect objects or two follow-ups went unanswered"
    assert cells(html, "analytics")[3:] == ["1 year, 6 months", "None"]


def test_the_german_site_shows_durations_and_labels_in_german(site: Path) -> None:
    processing = body(site, "de", "processing")
    assert cells(processing, "accounts")[2:4] == [
        "Vertrag (Art. 6 Abs. 1 lit. b DSGVO)",
        "30 Tage nach account deletion",
    ]
    assert cells(processing, "analytics")[3:] == ["1 Jahr, 6 Monate", "Keine"]
    # fideslang's names: the translation file's `labels`, else fideslang's English name marked as English
    assert cells(processing, "accounts")[1] == "E-Mail-Adresse, Name"
    assert '<td><span lang="en" dir="ltr">Cookie ID</span></td>' in processing
    # the event a period runs from is the original's text: marked as English on the German page
    assert '30 Tage nach <span lang="en" dir="ltr">account deletion</span>' in processing
    assert '<th scope="col">Rechtsgrundlage</th>' in processing
    # this translation has no `activities`: each activity's prose is the original's, marked, with the notice in
    # the page's language
    assert (
        '<th scope="row" lang="en" dir="ltr">Run your account <span class="pf-translation-note '
        'pf-translation-missing" role="note" lang="de" dir="ltr">Dieser Abschnitt ist nicht übersetzt'
    ) in processing
    cookies = body(site, "de", "cookies")
    assert cells(cookies, "tiny_stats")[3] == "14 Monate"
    assert cells(cookies, "pf_consent")[3] == "6 Monate"
    # a duration written as text stays valid and is shown as written, in the original's language
    assert '<td lang="en" dir="ltr">session</td>' in cookies
    assert cells(body(site, "", "cookies"), "tiny_stats")[3] == "14 months"
    recipients = body(site, "de", "recipients")
    assert cells(recipients, "mailer")[2:] == ["Vereinigte Staaten", "Standardvertragsklauseln (Art. 46 DSGVO)"]
    assert cells(body(site, "", "recipients"), "hosting")[2:] == ["Germany", "Not needed: no third country"]


def test_rights_follow_from_the_jurisdictions_and_bases(site: Path) -> None:
    html = body(site, "", "rights")
    assert html.index("To use any of these rights") < html.index('class="pf-rights"')
    rights = re.findall(r'data-right="right_(\w+)">(.*?)</li>', html, re.S)
    assert [key for key, _ in rights] == [
        *("access", "rectification", "erasure", "restriction", "portability", "object", "object_marketing"),
        *("withdraw", "complaint"),
        *("ccpa_know", "ccpa_delete", "ccpa_correct", "ccpa_opt_out", "ccpa_limit", "ccpa_no_discrimination"),
    ]
    text = dict(rights)
    assert "(Art. 15 GDPR)" in text["access"] and "(Art. 7(3) GDPR)" in text["withdraw"]
    assert "(Cal. Civ. Code § 1798.120)" in text["ccpa_opt_out"]
    assert 'href="https://www.datenschutz-berlin.de"' in text["complaint"]
    german = dict(re.findall(r'data-right="right_(\w+)">(.*?)</li>', body(site, "de", "rights"), re.S))
    assert german["access"].startswith("Auskunft:") and "(Art. 15 DSGVO)" in german["access"]


def test_controller_block_names_the_controller_dpo_representative_and_authority(site: Path) -> None:
    html = body(site, "", "who-we-are")
    terms = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<dt>(.*?)</dt>", html)]
    assert terms == [
        "Controller",
        "Data protection officer",
        "Representative in the EU",
        "Supervisory authority",
    ]
    assert "Tiny Rep GmbH<br>Hauptstrasse 1, 10115 Berlin, Germany" in html
    assert 'href="mailto:dpo@tiny.example"' in html


def test_policy_json_carries_the_facts_and_validates_against_its_schema(site: Path) -> None:
    schema = load_schema("policy-data.schema.json")
    for lang in ("", "de"):
        data = json.loads((site / lang / "policy.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
        assert [a["id"] for a in data["policy"]["processing"]] == ["accounts", "leads", "analytics"]
        assert data["policy"]["processing"][0]["retention"] == {
            "period": "P30D",
            "after": "account deletion",
            "criteria": None,
        }
        assert {"right": "withdraw", "law": "gdpr", "article": "7(3)"} in data["rights"]
        assert len(data["rights"]) == 15
    bad = {**data, "rights": [{"right": "telepathy", "law": "gdpr", "article": "99"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_the_banner_shows_a_period_in_its_language(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "facts-site", project)
    options = read_project(project / "mkdocs.yml")
    config, _ = site_banner(options, load_policy(options.policy_file), with_changes=False)
    durations = {c["name"]: c["duration"] for cat in config["categories"] for c in cat.get("cookies", [])}
    assert durations == {"pf_consent": "6 months", "tiny_session": "session", "tiny_stats": "14 months"}

"""Fact changes as data (history/fact_diff.py) and in the law's words (site/fact_words.py), issue 23 build 6."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from policyforge.cli.diff_text import render_terminal
from policyforge.cli.main import main
from policyforge.history.diff import diff_policies, diff_to_json
from policyforge.history.fact_diff import FactChange, fact_changes, retention_direction
from policyforge.site.diff_words import Words
from policyforge.site.redline import diff_html
from policyforge.site.strings import page_language
from policyforge.source.facts import Retention
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy
from policyforge.source.options import read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project, invoke

COMPLETE = FIXTURES / "facts-complete" / "policy_source" / "policy.yaml"
SENTRY = """  - id: sentry
    name: Sentry, Inc.
    role: sub_processor
    purpose: Error monitoring
    country: US
    safeguard: sccs
sections:
"""


def source(*, retention: str = "P24M", sentry: bool = False, extra: tuple[tuple[str, str], ...] = ()) -> str:
    text = COMPLETE.read_text(encoding="utf-8").replace("period: P30D", f"period: {retention}")
    if sentry:
        text = text.replace("recipients: [hosting]", "recipients: [hosting, sentry]").replace("sections:\n", SENTRY, 1)
    for old, new in extra:
        assert old in text
        text = text.replace(old, new)
    return text


def load(tmp_path: Path, name: str, text: str) -> Policy:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def pair(tmp_path: Path, old: str, new: str) -> tuple[Policy, Policy]:
    return load(tmp_path, "old.yaml", old), load(tmp_path, "new.yaml", new)


def test_a_shorter_retention_and_a_new_recipient_are_data(tmp_path: Path) -> None:
    old, new = pair(tmp_path, source(), source(retention="P12M", sentry=True))
    changes = fact_changes(old, new)
    retention, linked, recipient = changes
    assert (retention.kind, retention.subject, retention.name, retention.field) == (
        "changed",
        "activity",
        "accounts",
        "retention",
    )
    assert (retention.old.period, retention.new.period, retention.direction) == ("P24M", "P12M", "shorter")
    assert (linked.kind, linked.field, linked.new) == ("added", "recipients", "Sentry, Inc.")
    assert (recipient.kind, recipient.subject, recipient.label, recipient.transfer) == (
        "added",
        "recipient",
        "Sentry, Inc.",
        True,
    )
    data = diff_to_json(diff_policies(old, new))
    assert data["facts"][0]["direction"] == "shorter" and data["facts"][0]["new"] == {
        "period": "P12M",
        "after": "account deletion",
    }
    assert data["facts"][2]["new"]["country"] == "US" and data["facts"][2]["transfer"] is True
    assert "summary" not in data  # data only: no sentence


def test_retention_direction_compares_periods_from_the_same_event() -> None:
    def period(p: str, after: str | None = None) -> Retention:
        return Retention(period=p, after=after)

    assert retention_direction(period("P1Y"), period("P14M")) == "longer"
    assert retention_direction(period("P30D"), period("P4W")) == "shorter"
    assert retention_direction(period("P30D", "deletion"), period("P1Y")) == ""
    assert retention_direction(period("P1Y"), Retention(criteria="until you object")) == ""


def test_every_kind_of_fact_change_is_found(tmp_path: Path) -> None:
    old, new = pair(
        tmp_path,
        source(),
        source(
            extra=(
                ("legal_basis: contract", "legal_basis: consent"),
                ("data_categories: [user.contact.email, user.name]", "data_categories: [user.contact.email]"),
                (
                    "    name: Mail Sender, Inc.\n    role: processor\n    purpose: Sends e-mails\n    country: US",
                    "    name: Mail Sender, Inc.\n    role: processor\n    purpose: Sends e-mails\n    country: IN",
                ),
                ("  dpo:\n    name: Dana Protect", "  dpo:\n    name: Dan Protect"),
                ("    name: Berliner Beauftragte", "    name: Die Berliner Beauftragte"),
            )
        ),
    )
    got = {(c.subject, c.field, c.kind) for c in fact_changes(old, new)}
    assert got == {
        ("dpo", "", "changed"),
        ("authority", "", "changed"),
        ("activity", "data_categories", "removed"),
        ("activity", "legal_basis", "changed"),
        ("recipient", "country", "changed"),
    }
    none = source().replace("  - id: leads", "  - id: leads2")
    gone = {(c.kind, c.subject, c.name) for c in fact_changes(*pair(tmp_path, source(), none))}
    assert gone == {("added", "activity", "leads2"), ("removed", "activity", "leads")}


def test_the_changes_read_in_the_laws_words_in_english_and_german(tmp_path: Path) -> None:
    d = diff_policies(*pair(tmp_path, source(), source(retention="P12M", sentry=True)))
    english = Words("en", html=False)
    assert [english.fact(c) for c in d.facts] == [
        "Retention of Run your account: 24 months after account deletion → 12 months after account deletion (shorter)",
        "Recipient added to Run your account: Sentry, Inc.",
        "New recipient: Sentry, Inc., United States, SCCs, transfer to a third country",
    ]
    assert "Facts changed: 3" in english.summary(d)
    german = Words("de", html=False)
    assert german.fact(d.facts[2]) == (
        "Neuer Empfänger: Sentry, Inc., Vereinigte Staaten, Standardvertragsklauseln, Übermittlung in ein Drittland"
    )
    assert german.fact(d.facts[0]).endswith(
        "24 Monate nach account deletion → 12 Monate nach account deletion (kürzer)"
    )


def test_controller_and_basis_changes_are_worded(tmp_path: Path) -> None:
    english = Words("en", html=False)
    basis = FactChange("changed", "activity", "a", "Run your account", "legal_basis", "contract", "consent")
    assert english.fact(basis) == "Legal basis of Run your account: Art. 6(1)(b) GDPR → Art. 6(1)(a) GDPR"
    assert Words("de", html=False).fact(basis).endswith("Art. 6 Abs. 1 lit. b DSGVO → Art. 6 Abs. 1 lit. a DSGVO")
    old, new = pair(tmp_path, source(), source(extra=(("  dpo:\n    name: Dana Protect", "  dpo:\n    name: Dan P"),)))
    (dpo,) = fact_changes(old, new)
    assert english.fact(dpo) == ("Data protection officer: Dana Protect, dpo@tiny.example → Dan P, dpo@tiny.example")


def test_the_redline_states_the_facts_above_the_word_diff(tmp_path: Path) -> None:
    d = diff_policies(*pair(tmp_path, source(), source(retention="P12M", sentry=True)))
    with page_language("en"):
        html = str(diff_html(d))
    assert '<h3 id="diff-facts">Processing, recipients and controller changes</h3>' in html
    facts = html[html.index('<ul class="pf-diff-items pf-diff-facts">') :]
    assert "Retention of" in facts and "12 months after account deletion (shorter)" in facts
    assert "New recipient:" in facts and "Sentry, Inc." in facts and "United States, SCCs" in facts
    assert '<span class="pf-tag pf-tag-added">Added</span>' in facts


def test_the_cli_diff_states_the_facts(tmp_path: Path) -> None:
    d = diff_policies(*pair(tmp_path, source(), source(retention="P12M", sentry=True)))

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

        def isatty(self) -> bool:
            return False

    out = Out()
    render_terminal(d, out, color=False)  # type: ignore[arg-type]
    assert "  Added: New recipient: Sentry, Inc., United States, SCCs, transfer to a third country\n" in out.text
    assert "  Changed: Retention of Run your account: 24 months after" in out.text
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "facts-complete"))
    options.policy_file.write_text(source(), encoding="utf-8")
    release(options, dt.date(2099, 3, 1), "First.", published=dt.date(2025, 2, 1))
    options.policy_file.write_text(source(retention="P36M"), encoding="utf-8")
    config = str(tmp_path / "p" / "mkdocs.yml")
    result = invoke(main, ["diff", "2099-03-01", "draft", "--format", "json", "-f", config])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)["facts"]
    assert [(f["field"], f["direction"]) for f in facts] == [("retention", "longer")]


def test_taxonomy_keys_countries_and_flags_read_as_words() -> None:
    english = Words("en", html=False)
    use = FactChange(
        "changed",
        "activity",
        "a",
        "Run your account",
        "data_use",
        "essential.service.operations",
        "analytics.reporting",
    )
    assert english.fact(use) == "Data use of Run your account: Essential for Operations → Analytics for Reporting"
    moved = FactChange("changed", "recipient", "m", "Mail Sender, Inc.", "country", "DE", "IN", transfer=True)
    assert english.fact(moved) == "Country of Mail Sender, Inc.: Germany → India (transfer to a third country)"
    category = FactChange("removed", "activity", "a", "Run your account", "data_categories", old="user.name")
    assert english.fact(category) == "Data category removed from Run your account: Name"
    shared = FactChange("changed", "activity", "a", "Run your account", "sold_or_shared", False, True)
    assert Words("fr", html=False).fact(shared) == "Vendues ou partagées – Run your account: non → oui"

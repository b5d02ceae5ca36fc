"""The example states its facts as data and passes the completeness check; removing a fact fails it.

The facts were added without changing what visitors consented to or what a translation was made
from: the consent revision and every fingerprint are those of the release in effect.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.history.releases import load_history
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy
from policyforge.source.numbering import numbered_sections
from policyforge.source.options import read_project
from policyforge.source.revision import consent_revision
from policyforge.translation.fingerprints import fingerprint_category, fingerprint_document, fingerprint_section
from tests.conftest import copy_project, invoke

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "policy_source" / "policy.yaml"


def _marks(policy: Policy) -> list[str]:
    return [
        consent_revision(policy),
        fingerprint_document(policy),
        *(fingerprint_category(c) for c in policy.categories),
        *(fingerprint_section(ns.section) for ns in numbered_sections(policy.sections)),
    ]


def test_example_states_its_facts() -> None:
    policy = load_policy(EXAMPLE)
    assert policy.controller.jurisdictions == ("eu", "us-ca")
    assert len(policy.processing) >= 8 and {r.id for r in policy.recipients} >= {"stripe"}
    assert all(a.retention is not None and a.retention.period is None for a in policy.processing)  # criteria only
    assert {c.id: c.activity for c in policy.categories if c.activity} == {
        "analytics": "product-improvement",
        "preferences": "preferences",
        "marketing": "advertising",
    }


def test_facts_left_the_revision_and_every_fingerprint_as_released() -> None:
    history = load_history(read_project(ROOT / "mkdocs.yml")).validate()
    before, with_facts = history.get("2025-09-01"), history.get("2026-12-06")
    assert before.policy.processing == () and len(with_facts.policy.processing) >= 8
    assert _marks(load_policy(EXAMPLE)) == _marks(with_facts.policy) == _marks(before.policy)
    # The release of the facts asks nobody again, by its own text (not by a reclassification): its cookie
    # durations became periods (P180D) that read as the texts released before ("180 days").
    assert with_facts.own_revision == before.own_revision and with_facts.reclassified is None
    assert not with_facts.consent_relevant
    durations = {c.name: c.duration for cat in with_facts.policy.categories for c in cat.cookies}
    assert durations == {
        "pf_consent": "P180D",
        "/.__palette": "until you clear your browser data",
        "_pf_demo_analytics": "P1Y",
    }
    # Revisions computed before the facts existed: released files load and mean what they meant.
    assert [r.consent_revision for r in history] == ["76731cb6b72a", "ce88bbcef2a7", "ce88bbcef2a7"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    retention:\n      criteria: Kept while your account is active and for a limited period after closure\n"
            "    recipients: [cloud-infrastructure]\n    required:\n      basis: contract_entry\n",
            "    recipients: [cloud-infrastructure]\n    required:\n      basis: contract_entry\n",
            ("  - id: accounts", "error: Art. 13(2)(a): activity 'accounts' states no retention [retention-missing]"),
        ),
        (
            "  supervisory_authority:\n    name: Data Protection Commission (Ireland)\n"
            "    url: https://www.dataprotection.ie\n",
            "",
            ("controller:", "error: Art. 13(2)(d): name the supervisory authority"),
        ),
        (
            "    country: US\n    safeguard: sccs\n  - id: cloud-infrastructure",
            "    country: US\n  - id: cloud-infrastructure",
            ("    country: US\n  - id: cloud", "error: Art. 13(1)(f): recipient 'stripe' is in a third country (US)"),
        ),
    ],
    ids=["retention", "supervisory-authority", "safeguard"],
)
def test_removing_a_fact_fails_strict_check(tmp_path: Path, old: str, new: str, expected: tuple[str, str]) -> None:
    config = copy_project(tmp_path / "p")
    path = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    where, message = expected
    line = text[: text.index(where)].count("\n") + 1
    result = invoke(main, ["check", "--strict", "-f", str(config)])
    assert result.exit_code == 1, result.output
    assert any(
        f.startswith(f"policy_source/policy.yaml:{line}: ") and message in f for f in result.stderr.splitlines()
    ), (line, result.stderr)


def test_the_change_of_the_facts_release_says_its_sections_now_show_the_facts() -> None:
    """The sections that gained a fact table say so in the redline, not that they list the consent categories."""
    from policyforge.history.diff import diff_policies
    from policyforge.site.diff_words import Words

    history = load_history(read_project(ROOT / "mkdocs.yml"))
    diff = diff_policies(history.get("2025-09-01").policy, history.get("2026-12-06").policy)
    notes = {c.id: c.note for c in diff.sections}
    assert notes == dict.fromkeys(
        ("how-we-use-your-information", "third-party-services", "your-rights", "contact"), "shows_facts"
    )
    assert all(op.kind == "equal" for c in diff.sections for op in c.ops)  # not a word of the text changed
    section = next(c for c in diff.sections if c.id == "contact")
    assert Words("de", html=False).notes(section) == [
        "Zeigt jetzt die als Daten angegebenen Fakten (siehe die Änderungen an Verarbeitung, Empfängern und "
        "Verantwortlichem)."
    ]

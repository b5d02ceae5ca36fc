"""The facts' includes without a site build: an include needs the block it shows, the rights owed follow from
the jurisdictions and bases declared, and a period reads in words of any language (a text duration stays)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.errors import SourceError
from policyforge.site.fact_tables import owed_rights
from policyforge.source.durations import format_duration
from policyforge.source.loader import load_policy
from tests.conftest import FIXTURES

POLICY = FIXTURES / "facts-site" / "policy_source" / "policy.yaml"


def test_an_include_needs_the_block_it_shows(tmp_path: Path) -> None:
    text = POLICY.read_text(encoding="utf-8")
    start, end = text.index("recipients:\n  - id: hosting"), text.index("sections:\n")
    without = text[:start] + text[end:]
    path = tmp_path / "policy.yaml"
    path.write_text(without, encoding="utf-8")
    line = without[: without.index("include: recipients")].count("\n") + 1
    with pytest.raises(SourceError) as info:
        load_policy(path)
    found = [(p.line, p.message) for p in info.value.problems if "include" in p.message]
    assert found == [(line, "`include: recipients` needs a `recipients` block in this document (its table lists them)")]


def _keys(policy_text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "policy.yaml"
    path.write_text(policy_text, encoding="utf-8")
    return [right.key.removeprefix("right_") for right in owed_rights(load_policy(path))]


def test_the_rights_owed_follow_from_jurisdictions_and_bases(tmp_path: Path) -> None:
    text = POLICY.read_text(encoding="utf-8")
    gdpr_only = text.replace("jurisdictions: [eu, us-ca]", "jurisdictions: [eu]")
    assert _keys(gdpr_only, tmp_path) == [
        *("access", "rectification", "erasure", "restriction", "portability", "object", "object_marketing"),
        *("withdraw", "complaint"),
    ]
    us_only = text.replace("jurisdictions: [eu, us-ca]", "jurisdictions: [us-ca]")
    assert _keys(us_only, tmp_path) == [
        *("ccpa_know", "ccpa_delete", "ccpa_correct", "ccpa_opt_out", "ccpa_limit", "ccpa_no_discrimination"),
    ]
    # no consent, no legitimate interests, no marketing: neither withdrawal, objection nor its marketing form
    contract_only = (
        gdpr_only.replace("legal_basis: consent", "legal_basis: contract")
        .replace("legal_basis: legitimate_interests", "legal_basis: contract")
        .replace("    legitimate_interest: Finding business customers for Tiny App\n", "")
        .replace("data_use: marketing.communications.email", "data_use: essential.service.operations")
    )
    assert _keys(contract_only, tmp_path) == [
        *("access", "rectification", "erasure", "restriction", "portability", "complaint"),
    ]


def test_a_period_reads_in_words_of_each_language_and_text_stays() -> None:
    assert format_duration("P14M", "en") == "14 months"
    assert format_duration("P14M", "de") == "14 Monate"
    assert format_duration("P1Y6M", "fr") == "1\u00a0an et 6\u00a0mois"  # CLDR: no-break spaces
    assert format_duration("P1D", "pl") == "1 dzień"
    assert format_duration("P2W", "xx") == "2 weeks"  # a language Babel does not know reads English
    assert format_duration("14 months", "de") == "14 months"  # text, as released before periods existed
    assert format_duration("P14", "de") == "P14"

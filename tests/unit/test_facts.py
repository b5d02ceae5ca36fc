"""The facts as data: controller parties, processing activities, recipients, loaded with file:line.

Adding facts changes nothing already agreed to or translated: neither the consent revision nor
any fingerprint a translation records.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.errors import SourceError
from policyforge.source.loader import check_policy_file, load_policy
from policyforge.source.model import Policy
from policyforge.source.numbering import numbered_sections
from policyforge.source.revision import consent_revision
from policyforge.translation.fingerprints import fingerprint_category, fingerprint_document, fingerprint_section

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = ROOT / "tests" / "fixtures" / "facts-complete" / "policy_source" / "policy.yaml"


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _complete() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    return data


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy, problems = check_policy_file(path, display="policy.yaml")
    assert policy is None
    return [f"{p.line}: {p.message}" for p in problems]


def test_facts_load_typed() -> None:
    policy = load_policy(COMPLETE)
    ctrl = policy.controller
    assert ctrl.country == "US" and ctrl.jurisdictions == ("eu", "us-ca")
    assert ctrl.dpo != "none" and ctrl.dpo is not None and ctrl.dpo.email == "dpo@tiny.example"
    assert ctrl.representative is not None and ctrl.representative.eu is not None
    accounts, leads = policy.processing
    assert accounts.retention is not None and (accounts.retention.period, accounts.retention.after) == (
        "P30D",
        "account deletion",
    )
    assert leads.retention is not None and leads.retention.period is None and leads.retention.criteria
    assert leads.legal_basis == "legitimate_interests" and leads.source is not None
    assert [r.country for r in policy.recipients] == ["DE", "US"]
    assert policy.categories[0].activity == "accounts"


def test_every_problem_at_once_with_lines_and_did_you_mean(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    for old, new in (
        ("data_use: essential.service.operations", "data_use: essential.service.operation"),
        ("[user.contact.email, user.name]", "[user.contact.emial, user.name]"),
        ("    legal_basis: contract\n", "    legal_base: contract\n"),
        ("legal_basis: legitimate_interests", "legal_basis: legitimate_interest"),
        ("country: DE", "country: Germany"),
        ("recipients: [mailer]", "recipients: [mailr]"),
        ("activity: accounts", "activity: acounts"),
        ("      period: P30D\n", "      period: 30 days\n"),
    ):
        assert old in text
        text = text.replace(old, new)
    lines = text.splitlines()
    problems = _problems(tmp_path, text)

    def at(fragment: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if fragment in line)

    expected = {
        at("essential.service.operation"): "unknown data use 'essential.service.operation' in fideslang 3.1.4's "
        "taxonomy (did you mean 'essential.service.operations'",
        at("user.contact.emial"): "unknown data category 'user.contact.emial'",
        at("legal_base:"): "unknown key 'legal_base' (did you mean 'legal_basis'?)",
        at("legal_basis: legitimate_interest"): "unknown value 'legitimate_interest' (did you mean "
        "'legitimate_interests'?)",
        at("country: Germany"): "'Germany' is not a country code; write its ISO 3166 two-letter code, e.g. DE or US "
        "(did you mean 'DE', Germany?)",
        at("[mailr]"): "no recipient has the id 'mailr' (did you mean 'mailer'?)",
        at("activity: acounts"): "no processing activity has the id 'acounts' (did you mean 'accounts'?)",
        at("period: 30 days"): "'30 days' is not an ISO 8601 period",
    }
    for line, message in expected.items():
        assert any(p.startswith(f"{line}: ") and message in p for p in problems), (line, message, problems)
    assert len(problems) == len(expected), problems


@pytest.mark.parametrize(
    ("retention", "message"),
    [
        ({"period": "P1Y", "criteria": "until closed"}, "give either a `period`"),
        ({"after": "account deletion", "criteria": "until closed"}, "`after` needs a `period`"),
        ({}, "give either a `period`"),
    ],
)
def test_retention_takes_one_form(tmp_path: Path, retention: dict[str, str], message: str) -> None:
    data = _complete()
    data["processing"][0]["retention"] = retention
    with pytest.raises(SourceError) as err:
        load_policy(_write(tmp_path, data))
    assert message in str(err.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = _complete()
    data["processing"][1]["id"] = "accounts"
    data["recipients"][1]["id"] = "hosting"
    with pytest.raises(SourceError) as err:
        load_policy(_write(tmp_path, data))
    assert str(err.value).count("duplicate id") == 2


def _without_facts(data: dict[str, Any]) -> dict[str, Any]:
    bare = copy.deepcopy(data)
    bare.pop("processing")
    bare.pop("recipients")
    bare["controller"] = {k: v for k, v in bare["controller"].items() if k in ("name", "email")}
    for category in bare["consent"]["categories"]:
        category.pop("activity", None)
        for cookie in category.get("cookies", []):
            cookie.pop("recipient", None)
    return bare


def _marks(policy: Policy) -> list[str]:
    return [
        consent_revision(policy),
        fingerprint_document(policy),
        *(fingerprint_category(c) for c in policy.categories),
        *(fingerprint_section(ns.section) for ns in numbered_sections(policy.sections)),
    ]


def test_adding_facts_changes_no_revision_and_no_fingerprint(tmp_path: Path) -> None:
    data = _complete()
    data["consent"]["categories"][0]["cookies"][0]["recipient"] = "hosting"
    with_facts = load_policy(_write(tmp_path, data))
    assert with_facts.categories[0].cookies[0].recipient == "hosting"
    (tmp_path / "bare").mkdir()
    bare = load_policy(_write(tmp_path / "bare", _without_facts(data)))
    assert bare.processing == () and bare.controller.dpo is None
    assert _marks(with_facts) == _marks(bare)


def test_a_fact_that_is_a_mapping_or_a_word_is_reported_once(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    for old, new in (
        ("    email: dpo@tiny.example\n", "    mail: dpo@tiny.example\n"),
        ("    automated_decision: none\n    ccpa_categories: [identifiers]\n", "    automated_decision: nobody\n"),
    ):
        assert old in text
        text = text.replace(old, new)
    problems = _problems(tmp_path, text)
    assert problems == [
        "12: unknown key 'mail' (did you mean 'email'?)",
        "37: unknown value 'nobody' (expected one of: none)",
    ]


@pytest.mark.parametrize("code", ["EU", "ZZ", "XX", "D"])
def test_a_country_is_an_iso_country_code(tmp_path: Path, code: str) -> None:
    data = _complete()
    data["recipients"][0]["country"] = code
    with pytest.raises(SourceError, match=f"'{code}' is not a country code"):
        load_policy(_write(tmp_path, data))
    data["recipients"][0]["country"] = "de"
    assert load_policy(_write(tmp_path, data)).recipients[0].country == "DE"

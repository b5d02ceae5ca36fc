"""Regional rules: ``consent.regions`` and a category's ``opt_out`` in the model (validation at file:line with
did-you-mean), the consent revision and banner config of a policy without them (unchanged), the modes per ISO
code, and Google Consent Mode's defaults per region."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from policyforge.banner.assemble import TEXT_KEYS, compact, js_literal
from policyforge.banner.config import banner_config
from policyforge.banner.failsafe import stub_script
from policyforge.banner.regions import consent_mode_defaults, region_modes
from policyforge.errors import SourceError
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy
from policyforge.source.regions import effective_modes
from policyforge.source.revision import consent_revision
from policyforge.translation.fingerprints import fingerprint_category

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "valid-tiny" / "policy_source" / "policy.yaml"
URLS = {"policy_url": "https://example.com/", "changes_url": "https://example.com/changes/since/{revision}/"}


def tiny(**consent: Any) -> dict[str, Any]:
    """The tiny fixture's data, with ``consent`` keys set (``analytics`` governs ``analytics_storage``)."""
    data: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["consent"]["categories"][1]["gcm"] = ["analytics_storage"]
    data["consent"].update(consent)
    return data


def config_hash(policy: Policy, **options: Any) -> str:
    return hashlib.sha256(js_literal(compact(banner_config(policy, **URLS, **options))).encode()).hexdigest()[:16]


def test_a_policy_without_regional_rules_keeps_its_revision_banner_and_fingerprints() -> None:
    # the values of the code before regional rules existed
    plain = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    policy = Policy.model_validate(plain)
    assert consent_revision(policy) == "c053a7444a5c"
    assert config_hash(policy) == "bfe282635e001bc2"
    assert [fingerprint_category(c) for c in policy.require_consent().categories] == ["3decc4d05cba", "dd8513ebfeb3"]
    with_receipts = {**plain, "consent": {**plain["consent"], "receipts_url": "https://consent.example.com/receipts"}}
    assert config_hash(Policy.model_validate(with_receipts), released=True) == "61045aa7d65ecf39"
    # the defaults written out change nothing either
    plain["consent"]["regions"] = {}
    plain["consent"]["categories"][1]["opt_out"] = True
    assert consent_revision(Policy.model_validate(plain)) == "c053a7444a5c"


def test_regional_rules_are_consent_relevant_and_not_for_translators() -> None:
    base = Policy.model_validate(tiny())
    regional = Policy.model_validate(tiny(regions={"eu": "opt-in", "us-ca": "opt-out"}))
    data = tiny()
    data["consent"]["categories"][1]["opt_out"] = False
    kept_opt_in = Policy.model_validate(data)
    revisions = {consent_revision(p) for p in (base, regional, kept_opt_in)}
    assert len(revisions) == 3
    fingerprints = {tuple(fingerprint_category(c) for c in p.require_consent().categories) for p in (base, regional)}
    assert len(fingerprints) == 1


def test_region_keys_and_modes_are_checked_at_their_line_with_did_you_mean(tmp_path: Path) -> None:
    regions = {
        "eu": "opt-in",
        "usa": "opt-out",
        "us_ca": "opt-out",
        "uk": "opt-outt",
        "Germany": "opt-in",
        "zz": "opt-in",
    }
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(tiny(regions=regions), sort_keys=False), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_policy(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = {p.path: p for p in caught.value.problems}
    assert sorted(problems) == [f"consent.regions.{key}" for key in ("Germany", "uk", "us_ca", "usa", "zz")]
    for key, problem in problems.items():
        assert lines[problem.line - 1].strip().startswith(key.rsplit(".", 1)[1] + ":")
    assert "did you mean 'us'?" in problems["consent.regions.usa"].message
    assert "did you mean 'us-ca'?" in problems["consent.regions.us_ca"].message
    assert "did you mean 'de'?" in problems["consent.regions.Germany"].message
    assert "did you mean 'opt-out'?" in problems["consent.regions.uk"].message
    assert "ISO 3166-1" in problems["consent.regions.zz"].message


def test_the_most_specific_declaration_wins_and_undeclared_is_opt_in() -> None:
    modes = effective_modes({"eu": "opt-in", "uk": "opt-in", "us": "opt-out", "us-co": "opt-in", "de": "opt-out"})
    assert modes == {"DE": "opt-out", "US": "opt-out", "US-CO": "opt-in"}
    # a subdivision of an undeclared country; a country beats its group (gb over uk)
    assert effective_modes({"us-ca": "opt-out", "uk": "opt-out", "gb": "opt-in"}) == {"US-CA": "opt-out"}
    assert len(effective_modes({"eu": "opt-out"})) == 30  # the EEA's countries
    assert effective_modes({"us-ca": "opt-in"}) == {}


def test_consent_mode_defaults_per_region() -> None:
    regions = {"eu": "opt-in", "us": "opt-out", "us-co": "opt-in"}
    policy = Policy.model_validate(tiny(regions=regions))
    config = banner_config(policy, **URLS)
    assert config["regions"] == {"US": 1, "US-CO": 0} == region_modes(policy.require_consent())
    assert consent_mode_defaults(config) == [
        {"analytics_storage": "denied", "wait_for_update": 500},
        {"analytics_storage": "granted", "region": ["US"], "wait_for_update": 500},
        {"analytics_storage": "denied", "region": ["US-CO"], "wait_for_update": 500},
    ]
    assert config["gcmRegions"] == consent_mode_defaults(config)[1:]
    # a category kept opt-in stays denied in an opt-out region too; no Consent Mode type, no command
    data = tiny(regions=regions)
    data["consent"]["categories"][1]["opt_out"] = False
    kept = banner_config(Policy.model_validate(data), **URLS)
    assert kept["categories"][1]["optIn"] is True
    assert consent_mode_defaults(kept)[1] == {"analytics_storage": "denied", "region": ["US"], "wait_for_update": 500}
    data["consent"]["categories"][1]["gcm"] = []
    assert consent_mode_defaults(banner_config(Policy.model_validate(data), **URLS)) == []


def test_the_banner_carries_regions_and_the_link_text_only_with_an_opt_out_region() -> None:
    opt_in_only = banner_config(Policy.model_validate(tiny(regions={"eu": "opt-in", "uk": "opt-in"})), **URLS)
    assert "regions" not in opt_in_only and "privacyChoices" not in opt_in_only["texts"]
    opt_out = banner_config(Policy.model_validate(tiny(regions={"us-ca": "opt-out"})), **URLS)
    assert opt_out["regions"] == {"US-CA": 1}
    assert opt_out["texts"]["privacyChoices"] == "Your Privacy Choices"
    # in its slot (texts.js PRIVACY_CHOICES), after the receipts' two, which a banner without receipts leaves empty
    texts = compact(opt_out)["X"]
    assert texts[TEXT_KEYS.index("privacyChoices")] == "Your Privacy Choices"
    assert texts[TEXT_KEYS.index("consentId")] == ""


def test_the_editor_schema_offers_the_modes_and_flags_a_key_that_is_no_region() -> None:
    schema = json.loads((TINY.parents[4] / "policy_source" / "policy.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema["$defs"]["Consent"]["properties"]["regions"])
    assert validator.is_valid({"eu": "opt-in", "us": "opt-out", "us-ca": "opt-out", "ca-qc": "opt-in"})
    assert not validator.is_valid({"usa": "opt-out"})
    assert not validator.is_valid({"us_ca": "opt-out"})
    assert not validator.is_valid({"eu": "optin"})


def test_the_failure_safe_stub_sends_the_defaults_per_region() -> None:
    config = banner_config(Policy.model_validate(tiny(regions={"us-ca": "opt-out"})), **URLS)
    stub = stub_script(config)
    for command in consent_mode_defaults(config):
        assert f'w.gtag("consent","default",{js_literal(command)});' in stub
    assert '"region":["US-CA"]' in stub

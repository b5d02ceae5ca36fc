"""The consent revision changes exactly when what visitors agreed to changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.banner.config import banner_config
from policyforge.source.model import Policy
from policyforge.source.revision import consent_revision

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "valid-tiny" / "policy_source" / "policy.yaml"


def policy(edit: Any = None) -> Policy:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    if edit:
        edit(data)
    return Policy.model_validate(data)


BASE = consent_revision(policy())


@pytest.mark.parametrize(
    "name, edit",
    [
        ("banner text", lambda d: d["consent"].update(banner={"title": "Cookies, please"})),
        ("section title", lambda d: d["sections"][0].update(title="About")),
        ("untagged section text", lambda d: d["sections"][0].update(text="Reworded.")),
        ("dates", lambda d: d.update(effective="2026-01-01", updated="2026-01-01")),
        ("closing", lambda d: d.update(closing="Thanks!")),
    ],
)
def test_editorial_changes_keep_the_revision(name: str, edit: Any) -> None:
    assert consent_revision(policy(edit)) == BASE, name


@pytest.mark.parametrize(
    "name, edit",
    [
        ("category description", lambda d: d["consent"]["categories"][1].update(description="Helps us improve")),
        (
            "new cookie",
            lambda d: d["consent"]["categories"][1].update(
                cookies=[{"name": "x", "provider": "p", "purpose": "q", "duration": "1 day"}]
            ),
        ),
        ("lifetime", lambda d: d["consent"].update(lifetime_days=90)),
        ("record cookie", lambda d: d["consent"].update(cookie="tiny_consent")),
        ("gcm types", lambda d: d["consent"]["categories"][1].update(gcm=["analytics_storage"])),
        ("tagged section text", lambda d: d["sections"][0].update(text="Reworded.", consent_relevant=True)),
    ],
)
def test_consent_relevant_changes_change_the_revision(name: str, edit: Any) -> None:
    assert consent_revision(policy(edit)) != BASE, name


def test_config_carries_the_revision_and_no_release_date() -> None:
    cfg = banner_config(policy(), policy_url="/", changes_url="")
    assert cfg["revision"] == BASE and len(BASE) == 12
    assert "version" not in cfg and cfg["policyUrl"] == "/#cookies"
    # a release's revision is the one the lock records for it, given by the caller
    assert (
        banner_config(policy(), policy_url="/", changes_url="", revision="0123456789ab")["revision"] == "0123456789ab"
    )


def test_who_sets_a_cookie_is_not_part_of_the_revision() -> None:
    def cookie(**fields: str) -> Any:
        item = {"name": "sid", "provider": "us", "purpose": "q", "duration": "1 day", **fields}
        return lambda d: d["consent"]["categories"][0].update(cookies=[item])

    browser = consent_revision(policy(cookie()))
    assert consent_revision(policy(cookie(set_by="browser"))) == browser
    assert consent_revision(policy(cookie(set_by="server"))) == browser
    with pytest.raises(ValueError, match="`set_by: server` needs `storage: cookie`"):
        policy(cookie(set_by="server", storage="local"))


def _duration(value: str) -> Any:
    def edit(d: dict[str, Any]) -> None:
        cookie = {"name": "_stats", "provider": "Tiny App", "purpose": "Counts visits", "duration": value}
        d["consent"]["categories"][-1]["cookies"] = [cookie]

    return edit


def test_a_duration_counts_by_what_it_says() -> None:
    """``1 year`` rewritten as ``P1Y`` (shown in each language) is the same duration: nobody is asked again; any
    other period, or other words, is a change."""
    text = consent_revision(policy(_duration("1 year")))
    assert consent_revision(policy(_duration("P1Y"))) == text
    assert consent_revision(policy(_duration("P12M"))) != text  # "12 months": other words
    assert consent_revision(policy(_duration("P2Y"))) != text
    assert consent_revision(policy(_duration("P180D"))) == consent_revision(policy(_duration("180 days")))

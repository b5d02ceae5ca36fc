"""The first stage's configuration (banner/stages.py ``first_config``): what deciding, gating, Consent Mode and
the notice need in one language, and nothing of the settings layer."""

from __future__ import annotations

from typing import Any

from policyforge.banner.stages import first_config

STAGE = ("consent.settings.0123456789.js", "sha384-x")


def config() -> dict[str, Any]:
    """A banner configuration with an essential category, services, an opt-in category and an opt-out region."""
    cookie = {"name": "_ga", "provider": "Google", "purpose": "Counts visits", "duration": "1 year"}
    return {
        "cookie": "pf_consent",
        "revision": "r1",
        "lifetimeDays": 180,
        "policyUrl": "/#cookies",
        "changesUrl": "",
        "lang": "en",
        "texts": {"title": "Cookies", "accept": "Accept all", "save": "Save", "privacyChoices": "Your Privacy Choices"},
        "categories": [
            {
                "id": "essential",
                "title": "Essential",
                "description": "Needed",
                "required": True,
                "cookies": [{**cookie, "name": "pf_consent"}],
            },
            {
                "id": "marketing",
                "title": "Marketing",
                "description": "Ads and videos",
                "gcm": ["ad_storage"],
                "optIn": True,
                "cookies": [cookie],
                "services": [
                    {"id": "youtube", "title": "YouTube", "description": "Videos", "cookies": ["_ga"], "recipient": "G"}
                ],
            },
        ],
        "regions": {"US-CA": 1},
        "gcmRegions": [{"ad_storage": "granted", "region": ["US-CA"]}],
    }


def test_the_first_stage_carries_services_regions_and_the_opt_out_text_but_no_settings_texts() -> None:
    first = first_config(config(), "en", STAGE)
    essential, marketing = first["categories"]
    # gating `marketing:youtube`, its placeholder's name, and what a refusal of the category keeps for it
    assert marketing["services"] == [{"id": "youtube", "title": "YouTube", "cookies": ["_ga"]}]
    assert marketing["optIn"] is True and marketing["gcm"] == ["ad_storage"]
    assert [k["name"] for k in marketing["cookies"]] == ["_ga"] and marketing["cookies"][0]["purpose"] == ""
    assert "cookies" not in essential  # never refused: nothing of it to delete
    assert "description" not in marketing and "description" not in marketing["services"][0]
    # the regional rules and their Consent Mode defaults (sent when no snippet stub did)
    assert first["regions"] == {"US-CA": 1} and first["gcmRegions"] == config()["gcmRegions"]
    # the opt-out button's text is the notice's; the settings layer's (Save) comes with the second stage
    assert first["texts"] == {"title": "Cookies", "accept": "Accept all", "privacyChoices": "Your Privacy Choices"}
    assert first["stage"] == list(STAGE)

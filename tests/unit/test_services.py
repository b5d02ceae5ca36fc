"""Services inside consent categories (issue 25): the model, its checks, the revision, translations, the banner's
configuration and the policy page's cookie section."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.banner.assemble import compact
from policyforge.banner.config import banner_config
from policyforge.source.loader import check_policy_file, load_policy
from policyforge.source.model import Policy
from policyforge.source.revision import consent_revision
from policyforge.translation.apply import category_key, translate_policy
from policyforge.translation.fingerprints import fingerprint_category
from policyforge.translation.read import read_translation

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "tests" / "fixtures" / "services" / "policy.yaml"


def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SERVICES.read_text(encoding="utf-8"))
    return data


def _policy(edit: Any = None) -> Policy:
    data = _data()
    if edit:
        edit(data["consent"]["categories"][2])
    return Policy.model_validate(data)


def test_services_load_typed() -> None:
    marketing = load_policy(SERVICES).categories[2]
    youtube, vimeo = marketing.services
    assert (youtube.id, youtube.name, youtube.cookies, youtube.recipient) == (
        "youtube",
        "YouTube",
        ("yt_visitor",),
        "google",
    )
    assert (vimeo.description, vimeo.recipient) == (None, "vimeo")


def test_every_service_problem_at_once_with_lines_and_did_you_mean(tmp_path: Path) -> None:
    text = SERVICES.read_text(encoding="utf-8")
    for old, new in (
        ("cookies: [yt_visitor]", "cookies: [yt_visiter]"),
        ("          recipient: google\n", "          recipient: gogle\n"),
        ("        - id: vimeo\n          name: Vimeo", "        - id: youtube\n          name: Vimeo"),
        (
            "      services:\n",
            "      services:\n        - {id: Bad_Id, name: X}\n        - {id: " + "x" * 75 + ", name: Y}\n",
        ),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy, problems = check_policy_file(path, display="policy.yaml")
    assert policy is None
    lines = text.splitlines()

    def at(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    found = {(p.line, p.message) for p in problems}
    assert (
        at("id: Bad_Id"),
        "'Bad_Id' is not a valid id (lower-case letters, digits and hyphens, e.g. 'cookies')",
    ) in found
    assert (at("x" * 75), f"'marketing:{'x' * 75}' is longer than 80 characters") in found
    assert (
        at("cookies: [yt_visiter]"),
        "no cookie of this category has the name 'yt_visiter' (did you mean 'yt_visitor'?)",
    ) in found
    assert (at("recipient: gogle"), "no recipient has the id 'gogle' (did you mean 'google'?)") in found
    first = at("- id: youtube")
    second = next(i for i, line in enumerate(lines, 1) if "- id: youtube" in line and i > first)
    assert (second, f"duplicate id 'youtube' (first at line {first})") in found
    assert all(p.file == "policy.yaml" for p in problems)


def test_service_ids_are_unique_within_a_category_only(tmp_path: Path) -> None:
    data = _data()
    data["consent"]["categories"][1]["services"] = [{"id": "youtube", "name": "YouTube statistics"}]
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert load_policy(path).categories[1].services[0].id == "youtube"


def test_at_most_fifty_categories_and_services_together(tmp_path: Path) -> None:
    data = _data()
    data["consent"]["categories"][2]["services"] += [{"id": f"s{i}", "name": f"S{i}"} for i in range(46)]
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    _, problems = check_policy_file(path)
    assert [p.message for p in problems] == ["51 categories and services: at most 50 (a consent receipt lists each)"]


# The consent revision and each category's fingerprint of policies without services, as the code before services
# computed them: the released files of the example and the tiny fixture verify and show unchanged.
BEFORE_SERVICES = {
    "policy_source/versions/2025-03-01.yaml": ["76731cb6b72a", "51423bd7c48b", "ff0354178f71", "e24c61a1befb"],
    "policy_source/versions/2025-09-01.yaml": [
        "ce88bbcef2a7",
        "18dec1248fdb",
        "317f31e9bf90",
        "e24c61a1befb",
        "a61ba21eaef2",
    ],
    "tests/fixtures/valid-tiny/policy_source/policy.yaml": ["c053a7444a5c", "3decc4d05cba", "dd8513ebfeb3"],
}


@pytest.mark.parametrize("file", sorted(BEFORE_SERVICES))
def test_a_policy_without_services_keeps_its_revision_and_fingerprints(file: str) -> None:
    policy = load_policy(ROOT / file)
    assert [consent_revision(policy), *(fingerprint_category(c) for c in policy.categories)] == BEFORE_SERVICES[file]


def test_the_example_history_verifies_with_its_translation_current() -> None:
    from policyforge.history.releases import load_history
    from policyforge.source.options import read_project

    options = read_project(ROOT / "mkdocs.yml")
    history = load_history(options)
    history.validate()
    newest = history.releases[-1]
    assert newest.consent_revision == BEFORE_SERVICES["policy_source/versions/2025-09-01.yaml"][0]


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("service added", lambda c: c["services"].append({"id": "dailymotion", "name": "Dailymotion"})),
        ("service removed", lambda c: c["services"].pop()),
        ("service renamed", lambda c: c["services"][0].update(name="YouTube videos")),
        ("service id", lambda c: c["services"][0].update(id="yt")),
        ("service cookies", lambda c: c["services"][0].update(cookies=[])),
        ("service recipient", lambda c: c["services"][1].update(recipient="google")),
        ("services gone", lambda c: c.pop("services")),
    ],
)
def test_services_are_consent_relevant(name: str, edit: Any) -> None:
    assert consent_revision(_policy(edit)) != consent_revision(_policy()), name


def test_a_service_text_change_makes_its_category_translation_stale() -> None:
    before = fingerprint_category(_policy().categories[2])
    assert fingerprint_category(
        _policy(lambda c: c["services"][1].update(description="Vimeo videos")).categories[2]
    ) != (before)
    assert fingerprint_category(_policy(lambda c: c["services"][0].update(cookies=[])).categories[2]) == before


def _german(policy: Policy, services: str) -> str:
    mark = fingerprint_category(policy.categories[2])
    return (
        "language: de\ncategories:\n  marketing:\n"
        f"    translated_from: {mark}\n"
        "    title: Marketing-Cookies\n    description: Videos anderer Websites\n"
        "    cookies:\n      yt_visitor: YouTube-Einstellungen\n      vimeo_player: Vimeo-Einstellungen\n"
        "      mk_campaign: Kampagnen\n" + services
    )


def test_service_names_are_translated_like_category_texts(tmp_path: Path) -> None:
    policy = load_policy(SERVICES)
    path = tmp_path / "de.yaml"
    path.write_text(
        _german(
            policy,
            "    services:\n      youtube: {name: YouTube, description: Eingebettete YouTube-Videos}\n"
            "      vimeo: {name: Vimeo-Videos}\n",
        ),
        encoding="utf-8",
    )
    translation, errors, _ = read_translation(path, policy, lang="de", display="de.yaml")
    assert errors == []
    result = translate_policy(policy, translation)
    assert result.states[category_key("marketing")].status == "current"
    youtube, vimeo = result.policy.categories[2].services
    assert (youtube.description, vimeo.name, vimeo.cookies) == (
        "Eingebettete YouTube-Videos",
        "Vimeo-Videos",
        ("vimeo_player",),
    )


def test_a_translation_missing_a_service_or_its_description_is_refused(tmp_path: Path) -> None:
    policy = load_policy(SERVICES)
    path = tmp_path / "de.yaml"
    path.write_text(
        _german(policy, "    services:\n      youtube: {name: YouTube}\n      vimeon: {name: V}\n"), "utf-8"
    )
    _, errors, _ = read_translation(path, policy, lang="de", display="de.yaml")
    assert {str(e).split(": ", 1)[1] for e in errors} == {
        "categories.marketing.services: missing the service 'vimeo'",
        "categories.marketing.services.vimeon: no service 'vimeon' in this category of the original "
        "(did you mean 'vimeo'?)",
        "categories.marketing.services.youtube: expected the service's translated name and description",
    }


def test_the_banner_config_carries_each_service_with_its_recipient_and_cookies() -> None:
    config = banner_config(load_policy(SERVICES), policy_url="https://p.example/", changes_url="")
    assert config["categories"][2]["services"] == [
        {
            "id": "youtube",
            "title": "YouTube",
            "description": "Embedded YouTube videos",
            "cookies": ["yt_visitor"],
            "recipient": "Google Ireland Limited",
        },
        {
            "id": "vimeo",
            "title": "Vimeo",
            "description": "",
            "cookies": ["vimeo_player"],
            "recipient": "Vimeo.com, Inc.",
        },
    ]
    assert "services" not in config["categories"][1]  # none declared: the category is as before
    wired = compact(config)["categories"][2]["services"][0]
    assert wired == {"id": "youtube", "T": "YouTube", "D": "Embedded YouTube videos", "K": ["yt_visitor"],
                     "recipient": "Google Ireland Limited"}  # fmt: skip


def test_another_language_carries_the_service_texts_in_slot_order() -> None:
    policy = load_policy(SERVICES)
    config = banner_config(policy, policy_url="https://p.example/", changes_url="")
    german = copy.deepcopy(config)
    german["categories"][2]["services"][0]["description"] = "Eingebettete YouTube-Videos"
    config["languages"] = {
        "de": {
            "policyUrl": config["policyUrl"],
            "changesUrl": "",
            "texts": config["texts"],
            "categories": [
                {**c, "cookies": [{"purpose": k["purpose"], "duration": k["duration"]} for k in c.get("cookies", [])]}
                for c in german["categories"]
            ],
        }
    }
    slots = compact(config)["l"]["de"]
    # after each category's title, description and cookie purposes and durations: each service's name and description
    assert slots[-1] == "Eingebettete YouTube-Videos" and set(slots[:-1]) == {0}


def test_the_policy_page_lists_each_category_s_services() -> None:
    from policyforge.site.policy_page import body_context, page_markdown

    page = page_markdown("policy/index.md", "Privacy Policy", **body_context(load_policy(SERVICES)))
    rows = re.findall(r'<tr data-service="([^"]+)"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>', page)
    assert rows == [
        ("marketing:youtube", "<strong>YouTube</strong>: Embedded YouTube videos", "Google Ireland Limited",
         "<code>yt_visitor</code>"),
        ("marketing:vimeo", "<strong>Vimeo</strong>", "Vimeo.com, Inc.", "<code>vimeo_player</code>"),
    ]  # fmt: skip
    tiny = load_policy(ROOT / "tests" / "fixtures" / "valid-tiny" / "policy_source" / "policy.yaml")
    assert "pf-services" not in page_markdown("policy/index.md", "Privacy Policy", **body_context(tiny))


def test_a_release_s_service_changes_are_listed_and_worded() -> None:
    from policyforge.history.diff_items import ItemChange, consent_changes
    from policyforge.site.diff_words import Words

    old = _policy()

    def edit(c: dict[str, Any]) -> None:
        c["services"][0]["name"] = "YouTube videos"
        c["services"][1:] = [{"id": "dailymotion", "name": "Dailymotion"}]

    changes = [c for c in consent_changes(old, _policy(edit)) if c.subject == "service"]
    assert changes == [
        ItemChange("added", "service", "marketing:dailymotion", new="Dailymotion"),
        ItemChange(
            "changed",
            "service",
            "marketing:youtube",
            "YouTube (Embedded YouTube videos); Google Ireland Limited; yt_visitor",
            "YouTube videos (Embedded YouTube videos); Google Ireland Limited; yt_visitor",
        ),
        ItemChange("removed", "service", "marketing:vimeo", old="Vimeo; Vimeo.com, Inc.; vimeo_player"),
    ]
    assert Words("en", html=False).item(changes[0]) == "Service marketing:dailymotion: Dailymotion"


def test_only_a_service_s_wording_may_be_reclassified_as_editorial() -> None:
    from policyforge.history.classes import wording_only

    old = _policy()
    assert wording_only(old, _policy(lambda c: c["services"][0].update(name="Youtube"))) == ""
    for edit in (
        lambda c: c["services"].append({"id": "dailymotion", "name": "Dailymotion"}),
        lambda c: c["services"][0].update(cookies=[]),
        lambda c: c["services"][1].update(recipient="google"),
    ):
        assert (
            wording_only(old, _policy(edit)) == "a consent category or a consent setting was added, removed or changed"
        )


def test_a_translation_skeleton_holds_the_services_and_fits_the_schema(tmp_path: Path) -> None:
    from policyforge.translation.edits import skeleton_text
    from tests.unit.test_translation_schema import data_of, validator

    policy = load_policy(SERVICES)
    path = tmp_path / "de.yaml"
    path.write_text(skeleton_text(policy, "de"), encoding="utf-8")
    data = data_of(path)
    assert data["categories"]["marketing"]["services"] == {
        "youtube": {"name": "YouTube", "description": "Embedded YouTube videos"},
        "vimeo": {"name": "Vimeo"},
    }
    validator().validate(data)
    _, errors, _ = read_translation(path, policy, lang="de", display="de.yaml")
    assert errors == []

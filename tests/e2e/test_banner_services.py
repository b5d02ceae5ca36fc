"""Services inside categories in Chromium (issue 25): a switch per service, `data-consent="marketing:youtube"`
gating, the record and receipts that carry services, and a placeholder's "Allow" that decides nothing else.

The banner is built from a policy (tests/fixtures/services/policy.yaml: Marketing holds YouTube and Vimeo) as a
site build makes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from policyforge.banner.config import banner_config
from policyforge.source.loader import load_policy
from tests.e2e.banner_kit import (
    DIALOG,
    LAYER1,
    LAYER2,
    button,
    consent_cookie_value,
    cookie,
    gated,
    html,
    open_site,
    record,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]
POLICY = Path(__file__).resolve().parents[1] / "fixtures" / "services" / "policy.yaml"


def _push(name: str) -> str:
    push = f'(window.__gatedOrder = window.__gatedOrder || []).push("{name}");'
    return f'<script type="text/plain" data-consent="{name}">{push}</script>'


# Gated scripts of a service, of the whole category and of another category; a frame per service and one of a
# category, each tall enough for its placeholder.
PAGE = html(
    "".join(_push(n) for n in ("marketing:youtube", "marketing:vimeo", "marketing", "analytics"))
    + "".join(
        f'<iframe id="{i}" data-consent="{c}" data-src="/frame.html" title="{t}" style="height:200px"></iframe>'
        for i, c, t in (
            ("yt", "marketing:youtube", "A YouTube video"),
            ("vm", "marketing:vimeo", "A Vimeo video"),
            ("an", "analytics", "Statistics"),
        )
    )
)


def _config(**changes: Any) -> dict[str, Any]:
    config = banner_config(load_policy(POLICY), policy_url="/policy/", changes_url="")
    config.update(changes)
    return config


def _open(page: Page, serve_dir: Serve, tmp_path: Path, **changes: Any) -> tuple[str, list[str]]:
    return open_site(page, serve_dir, tmp_path, "/services.html", _config(**changes), {"services.html": PAGE})


def _src(page: Page, frame: str) -> str | None:
    return page.locator(f"#{frame}").get_attribute("src")


def _switch(page: Page, key: str) -> Any:
    return page.locator(f"{LAYER2} input[data-c='{key}']")


def _granted(page: Page) -> list[bool]:
    keys = ["analytics", "marketing", "marketing:youtube", "marketing:vimeo"]
    return list(page.evaluate(f"{json.dumps(keys)}.map(policyforge.consent.has)"))


def test_switching_youtube_alone_runs_only_youtube_content(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    _, errors = _open(page, serve_dir, tmp_path)
    button(page, "choose").click()
    marketing = page.locator(f"{LAYER2} [data-category='marketing']")
    # a switch per service inside its category, naming its provider and cookies
    expect(marketing.locator("li[data-service]")).to_have_count(2)
    youtube = marketing.locator("li[data-service='marketing:youtube']")
    expect(youtube).to_contain_text("YouTube")
    expect(youtube).to_contain_text("Google Ireland Limited")
    expect(youtube).to_contain_text("yt_visitor")
    expect(_switch(page, "marketing:youtube")).to_have_accessible_name("YouTube")
    _switch(page, "marketing:youtube").check()
    expect(_switch(page, "marketing")).not_to_be_checked()
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert gated(page) == ["marketing:youtube"]
    assert _src(page, "vm") is None and _src(page, "an") is None
    assert _granted(page) == [False, False, True, False]
    rec = record(page)
    assert rec["c"] == {"essential": True, "analytics": False, "marketing": False}
    assert rec["s"] == {"marketing:youtube": True, "marketing:vimeo": False}
    # the next page: the choice holds, no banner
    page.reload()
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert gated(page) == ["marketing:youtube"]
    expect(page.locator(DIALOG)).to_have_count(0)
    assert errors == []


def test_the_category_switch_grants_every_service(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    _open(page, serve_dir, tmp_path)
    button(page, "choose").click()
    _switch(page, "marketing").check()
    expect(_switch(page, "marketing:youtube")).to_be_checked()
    expect(_switch(page, "marketing:vimeo")).to_be_checked()
    _switch(page, "marketing:vimeo").uncheck()  # one service off: the category is no longer all on
    expect(_switch(page, "marketing")).not_to_be_checked()
    _switch(page, "marketing").check()
    button(page, "save").click()
    expect(page.locator("#vm")).to_have_attribute("src", "/frame.html")
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert sorted(gated(page)) == ["marketing", "marketing:vimeo", "marketing:youtube"]
    assert _granted(page) == [False, True, True, True]
    assert record(page)["c"]["marketing"] is True
    # the settings show it back
    page.evaluate("policyforge.consent.show()")
    for key in ("marketing", "marketing:youtube", "marketing:vimeo"):
        expect(_switch(page, key)).to_be_checked()


def test_a_placeholder_allows_its_service_and_decides_nothing_else(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    _, errors = _open(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    placeholders = page.locator("policyforge-frame")
    expect(placeholders).to_have_count(3)
    allow = placeholders.nth(0).locator("button")
    expect(allow).to_have_text("Allow YouTube")
    allow.click()
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert gated(page) == ["marketing:youtube"]
    assert _src(page, "vm") is None and _src(page, "an") is None
    rec = record(page)
    assert rec["c"] == {"essential": True}  # analytics and marketing: undecided, not refused
    assert rec["s"] == {"marketing:youtube": True}
    assert _granted(page) == [False, False, True, False]
    # the next page still offers the first layer, with YouTube kept
    page.reload()
    expect(page.locator(LAYER1)).to_be_visible()
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert _granted(page) == [False, False, True, False]
    # a category's placeholder grants that category and keeps YouTube
    page.locator("policyforge-frame button", has_text="Allow Analytics Cookies").click()
    expect(page.locator("#an")).to_have_attribute("src", "/frame.html")
    rec = record(page)
    assert rec["c"] == {"essential": True, "analytics": True} and rec["s"] == {"marketing:youtube": True}
    page.reload()
    expect(page.locator(LAYER1)).to_be_visible()  # marketing is still undecided
    # the visitor's answer there decides the rest; withdrawing analytics reloads the page
    with page.expect_navigation():
        button(page, "reject").click()
    expect(page.locator("main h1")).to_be_visible()
    assert record(page)["c"] == {"essential": True, "analytics": False, "marketing": False}
    expect(page.locator(DIALOG)).to_have_count(0)
    assert errors == []


def test_refusing_a_service_deletes_its_cookies_and_keeps_the_others(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    rec = {"v": 2, "c": {"essential": True, "analytics": False, "marketing": True}, "r": _config()["revision"],
           "t": 1, "id": "x", "gpc": False, "auto": False}  # fmt: skip
    config = _config()
    base = serve_dir(_site(tmp_path, config))
    page.context.add_cookies(
        [{"name": name, "value": "1", "url": base} for name in ("yt_visitor", "vimeo_player", "mk_campaign")]
        + [{"name": config["cookie"], "value": consent_cookie_value(rec), "url": base}]
    )
    page.goto(base + "/services.html")
    page.evaluate("policyforge.consent.show()")
    _switch(page, "marketing:vimeo").uncheck()
    with page.expect_navigation():  # a withdrawal reloads the page
        button(page, "save").click()
    assert cookie(page, "yt_visitor") is not None
    assert cookie(page, "vimeo_player") is None and cookie(page, "mk_campaign") is None
    assert record(page)["s"] == {"marketing:youtube": True, "marketing:vimeo": False}
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    assert _src(page, "vm") is None


def _site(tmp_path: Path, config: dict[str, Any]) -> Path:
    from tests.e2e.banner_kit import make_site

    return make_site(tmp_path, config, {"services.html": PAGE})


def test_receipts_carry_services_and_leave_undecided_categories_out(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    base = serve_dir(_site(tmp_path, _config(receipts={"url": "/receipts"})))
    page.route("**/receipts", lambda route: route.fulfill(status=201, body="{}"))
    page.goto(base + "/services.html")
    with page.expect_request("**/receipts") as allowed:
        page.locator("policyforge-frame button", has_text="Allow YouTube").click()
    page.evaluate("policyforge.consent.show()")
    _switch(page, "marketing:vimeo").check()
    with page.expect_request("**/receipts") as saved:
        button(page, "save").click()
    first, second = (json.loads(r.value.post_data or "{}") for r in (allowed, saved))
    assert {k: first[k] for k in ("format", "action", "granted", "refused", "revision")} == {
        "format": 3,
        "action": "custom",
        "granted": ["essential", "marketing:youtube"],
        "refused": [],  # analytics and marketing are undecided: in neither list
        "revision": _config()["revision"],
    }
    assert (second["format"], second["granted"], second["refused"]) == (
        3,
        ["essential", "marketing:youtube", "marketing:vimeo"],
        ["analytics", "marketing"],
    )

"""Consent banner in Chromium: gating, the stored record, GPC, Consent Mode and the page API."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    GPC_ON,
    HOST,
    LAYER1,
    LAYER2,
    TEXTS,
    a_record,
    button,
    config,
    cookie,
    gated,
    html,
    open_site,
    record,
    stored,
    wait_for_true,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]


def test_accept_runs_gated_content_in_order_once(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    _, errors = open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    assert gated(page) == ["essential"]  # required categories never wait
    assert page.locator("iframe").get_attribute("src") is None
    assert cookie(page, "_pf_demo_analytics") is None
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.wait_for_function("(window.__gatedOrder || []).length === 5")
    assert gated(page) == ["essential", "inline-1", "analytics-src", "inline-2", "preferences"]
    expect(page.frame_locator("iframe").locator("p")).to_have_text("Embedded content")
    assert cookie(page, "_pf_demo_analytics") is not None
    script = page.locator("script[src='/analytics.js']")
    expect(script).to_have_attribute("data-extra", "kept")
    assert script.get_attribute("type") is None and script.get_attribute("data-consent") is None
    # another choice does not run anything twice
    page.evaluate("policyforge.consent.show()")
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert gated(page) == ["essential", "inline-1", "analytics-src", "inline-2", "preferences"]
    # the next page load activates immediately, without a banner
    page.reload()
    page.wait_for_function("(window.__gatedOrder || []).length === 5")
    assert gated(page) == ["essential", "inline-1", "analytics-src", "inline-2", "preferences"]
    expect(page.frame_locator("iframe").locator("p")).to_have_text("Embedded content")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert errors == []


def test_reject_runs_only_required(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    assert gated(page) == ["essential"]
    assert page.locator("iframe").get_attribute("src") is None
    expect(page.locator(DIALOG)).to_have_count(0)


def test_record_cookie_format(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    before = time.time()
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    item = cookie(page, CONFIG["cookie"])
    assert item is not None
    assert item["sameSite"] == "Lax" and item["path"] == "/" and item["secure"] is False
    assert item["domain"] == "127.0.0.1"  # host-only, first party
    assert abs(item["expires"] - (before + CONFIG["lifetimeDays"] * 86400)) < 60
    rec = page.evaluate(f"JSON.parse(decodeURIComponent({item['value']!r}))")
    assert set(rec) == {"v", "c", "r", "t", "id", "gpc", "auto"}  # format 2: keyed by the revision alone
    assert rec["v"] == 2 and rec["r"] == CONFIG["revision"]
    assert rec["c"] == {"essential": True, "analytics": True, "preferences": True}
    assert rec["gpc"] is False and rec["auto"] is False and abs(rec["t"] / 1000 - before) < 60
    assert len(rec["id"]) >= 16
    assert rec == record(page)
    # a second visitor gets another random id
    page.context.clear_cookies()
    page.reload()
    button(page, "accept").click()
    assert record(page)["id"] != rec["id"]


def test_withdrawing_deletes_declared_cookies(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    cfg = config()
    cfg["categories"][2]["cookies"] = [
        {
            "name": "pf_lang",
            "provider": "Us",
            "purpose": "Language",
            "duration": "1 year",
            "domain": "",
            "path": "/sub/",
        }
    ]
    base, _ = open_site(page, serve_dir, tmp_path, cfg=cfg)
    button(page, "accept").click()
    page.wait_for_function("document.cookie.includes('_pf_demo_analytics=1')")
    page.context.add_cookies([{"name": "pf_lang", "value": "de", "url": base + "/sub/"}])
    page.evaluate("policyforge.consent.show()")
    page.get_by_role("switch", name="Analytics Cookies").uncheck()
    page.get_by_role("switch", name="Preference Cookies").uncheck()
    with page.expect_navigation():  # a withdrawal reloads the page
        button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    names = {c["name"] for c in page.context.cookies()}
    assert names == {CONFIG["cookie"]}
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}


def test_same_revision_no_banner_and_changed_revision_asks_again(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    base, _ = open_site(page, serve_dir, tmp_path)
    stored(page, base, a_record())
    page.reload()
    page.wait_for_function("(window.__gatedOrder || []).includes('inline-2')")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("policyforge.consent.has('analytics')") is True

    # a format 1 record (it named the policy version too) of an older revision is still read
    stored(page, base, a_record(v=1, r="0000old00000", p="2024-01-01"))
    page.reload()
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".changed")).to_contain_text(TEXTS["changed"])
    link = dialog.get_by_role("link", name=TEXTS["changedLink"])
    expect(link).to_have_attribute("href", "/changes/since/0000old00000/")  # keyed by the revision chosen under
    assert page.evaluate("policyforge.consent.has('analytics')") is False  # re-consent needed
    assert gated(page) == ["essential"]
    button(page, "accept").click()
    assert record(page)["r"] == CONFIG["revision"]
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(DIALOG)).to_have_count(0)


def test_global_privacy_control(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    page.add_init_script(GPC_ON)
    open_site(page, serve_dir, tmp_path)
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".gpc")).to_have_text(TEXTS["gpc"])
    assert page.evaluate("['analytics','preferences'].map(policyforge.consent.has)") == [False, False]
    assert record(page)["gpc"] is True and record(page)["auto"] is True
    assert gated(page) == ["essential"]
    # shown once: the refusal is stored, the next page load has no banner
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert gated(page) == ["essential"]
    # an explicit choice after the signal was seen wins and is stored as made under GPC
    page.locator("main [data-policyforge-settings]").click()
    expect(page.locator(LAYER2)).to_be_visible()
    expect(page.get_by_role("switch", name="Analytics Cookies")).not_to_be_checked()
    page.get_by_role("switch", name="Analytics Cookies").check()
    button(page, "save").click()
    rec = record(page)
    assert rec["gpc"] is True and rec["auto"] is False and rec["c"]["analytics"] is True
    page.reload()
    page.wait_for_function("(window.__gatedOrder || []).includes('inline-2')")
    expect(page.locator(DIALOG)).to_have_count(0)


def test_google_consent_mode(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path, path="/gtag.html")
    expect(page.locator(LAYER1)).to_be_visible()
    calls = page.evaluate("window.__gtagCalls")
    assert calls == [
        [
            "consent",
            "default",
            {"security_storage": "granted", "analytics_storage": "denied", "wait_for_update": 500},
        ]
    ]
    button(page, "accept").click()
    page.wait_for_function("(window.__gatedOrder || []).includes('analytics-src')")
    calls = page.evaluate("window.__gtagCalls")
    assert calls[-1] == ["consent", "update", {"security_storage": "granted", "analytics_storage": "granted"}]
    page.reload()
    page.wait_for_function("(window.__gatedOrder || []).includes('analytics-src')")
    calls = page.evaluate("window.__gtagCalls")
    assert [c[1] for c in calls] == ["default", "update"]
    assert calls[1][2] == {"security_storage": "granted", "analytics_storage": "granted"}
    page.evaluate("policyforge.consent.show()")
    with page.expect_navigation():  # a withdrawal reloads the page
        button(page, "reject").click()
    calls = page.evaluate("window.__gtagCalls")
    denied = {"security_storage": "granted", "analytics_storage": "denied"}
    assert calls == [["consent", "default", {**denied, "wait_for_update": 500}], ["consent", "update", denied]]


def test_consent_mode_defines_gtag_when_missing(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    pushed = page.evaluate("window.dataLayer.map(a => Array.from(a))")
    assert pushed == [
        [
            "consent",
            "default",
            {"security_storage": "granted", "analytics_storage": "denied", "wait_for_update": 500},
        ]
    ]
    assert page.evaluate("typeof window.gtag") == "function"


def test_no_consent_mode_without_gcm_types(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    cfg = config()
    for cat in cfg["categories"]:
        cat["gcm"] = []
    open_site(page, serve_dir, tmp_path, cfg=cfg)
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate("[typeof window.gtag, typeof window.dataLayer]") == ["undefined", "undefined"]


def test_page_api_and_events(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    no_reload = html("", '<script src="/consent.js" data-reload="false"></script>')
    open_site(page, serve_dir, tmp_path, path="/api.html", pages={"api.html": no_reload})
    expect(page.locator(LAYER1)).to_be_visible()
    api = page.evaluate("Object.keys(policyforge.consent).sort()")
    writes = ["accept", "acceptAll", "hide", "rejectAll", "set", "showSettings"]  # issue 25.3
    assert api == sorted(["get", "has", "language", "on", "ready", "reset", "show", *writes])
    assert record(page) is None
    assert page.evaluate("['essential','analytics'].map(policyforge.consent.has)") == [True, False]
    page.evaluate(
        """() => { window.__events = [];
            document.addEventListener("policyforge:change",
                                      e => __events.push(["event", e.detail.categories.analytics, e.detail.action]));
            policyforge.consent.on("change", s => __events.push(["on", s.categories.analytics, s.record.c.analytics]));
            policyforge.consent.on("change", () => { throw new Error("listener bug"); }); }"""
    )
    button(page, "accept").click()
    assert page.evaluate("__events") == [["event", True, "accept"], ["on", True, True]]
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    button(page, "reject").click()
    assert page.evaluate("__events")[-2:] == [["event", False, "reject"], ["on", False, False]]
    assert page.evaluate("window.__events.length") == 4  # no reload with data-reload="false"
    page.evaluate("policyforge.consent.reset()")
    expect(page.locator(LAYER1)).to_be_visible()
    assert record(page) is None
    assert cookie(page, CONFIG["cookie"]) is None
    assert page.evaluate("policyforge.consent.has('analytics')") is False


def test_second_copy_does_nothing(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    twice = '<script src="/consent.js"></script><script src="/consent.js?again"></script>'
    _, errors = open_site(page, serve_dir, tmp_path, path="/twice.html", pages={"twice.html": html("", twice)})
    expect(page.locator(LAYER1)).to_be_visible()
    expect(page.locator(HOST)).to_have_count(1)
    page.evaluate("window.__n = 0; document.addEventListener('policyforge:change', () => __n++)")
    button(page, "accept").click()
    assert page.evaluate("__n") == 1
    assert errors == []


def test_withdrawal_deletes_wildcard_cookies_and_gpc_refusal_deletes_too(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    cfg = config()
    cfg["categories"][1]["cookies"] = [
        {
            "name": "_ga_*",
            "provider": "Google",
            "purpose": "Analytics",
            "duration": "13 months",
            "domain": "",
            "path": "/",
        }
    ]
    base, _ = open_site(page, serve_dir, tmp_path, cfg=cfg)
    page.context.add_cookies([{"name": n, "value": "1", "url": base + "/"} for n in ("_ga_X1", "_ga_Y2", "_gb")])
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert {c["name"] for c in page.context.cookies()} == {"_gb", CONFIG["cookie"]}
    # A refusal derived from Global Privacy Control deletes declared cookies as well.
    gpc = page.context.browser.new_context()  # type: ignore[union-attr]
    try:
        other = gpc.new_page()
        other.add_init_script(GPC_ON)
        gpc.add_cookies([{"name": "_ga_Z3", "value": "1", "url": base + "/"}])
        other.goto(base + "/index.html")
        expect(other.locator(DIALOG)).to_be_visible()
        assert "_ga_Z3" not in {c["name"] for c in gpc.cookies()}
    finally:
        gpc.close()


# Trusted Types enforced for scripts, only the banner's policy name allowed (issue 25.5).
TRUSTED_TYPES = {"Content-Security-Policy": "require-trusted-types-for 'script'; trusted-types policyforge"}


def test_gated_scripts_run_under_trusted_types(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """After Accept the inline and external gated scripts run, in order, through the "policyforge" policy."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Trusted" in message.text else None)
    _, errors = open_site(page, serve_dir, tmp_path, headers=TRUSTED_TYPES)
    assert page.evaluate("window.trustedTypes.getAttributeType('script', 'src')") == "TrustedScriptURL"
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    wait_for_true(page, "(window.__gatedOrder || []).length === 5")  # (wait_for_function would need eval)
    assert gated(page) == ["essential", "inline-1", "analytics-src", "inline-2", "preferences"]
    assert page.evaluate("window.__cspViolations") == []
    assert errors == [] and violations == []

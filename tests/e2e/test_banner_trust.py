"""Consent banner in Chromium: consent a sibling subdomain cannot plant, withdrawal that withdraws, GPC.

Sibling subdomains are real host names: ``sibling_browser`` maps ``*.example.test`` to 127.0.0.1
(``--host-resolver-rules``), so ``evil.example.test`` can set cookies for ``.example.test`` exactly
as a hostile subdomain of a product would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    GPC_ON,
    LAYER1,
    TEXTS,
    a_record,
    button,
    config,
    consent_cookie_value,
    gated,
    html,
    make_site,
    nothing_optional_ran,
    open_site,
    record,
    siblings,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]
NAME = CONFIG["cookie"]
ALL_TRUE = {"essential": True, "analytics": True, "preferences": True}


def plant(page: Page, evil: str, path: str = "/") -> None:
    """From the sibling subdomain, set an accept-all record for the whole registrable domain."""
    page.goto(evil + "/frame.html")
    forged = consent_cookie_value(a_record(c=ALL_TRUE, gpc=True, auto=False))
    for name in (NAME, "__Host-" + NAME):  # the browser refuses a __Host- cookie with a Domain
        page.evaluate(
            f"document.cookie = {name + '=' + forged + '; domain=example.test; path=' + path!r}"
            " + (location.protocol === 'https:' ? '; Secure' : '')"
        )
    planted = {(c["name"], c["path"]) for c in page.context.cookies() if c["domain"] == ".example.test"}
    assert (NAME, path) in planted and not any(n.startswith("__Host-") for n, _ in planted)  # the plant worked


@pytest.mark.parametrize("case", ["never-chose", "rejected", "gpc"])
def test_https_consent_cannot_be_planted_from_a_sibling(
    sibling_browser: Browser, serve_dir: Serve, tmp_path: Path, case: str
) -> None:
    """On https the record is a __Host- cookie: a sibling's Domain cookie is never read."""
    www, evil = siblings(serve_dir(make_site(tmp_path), tls=True))
    context = sibling_browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    if case == "gpc":
        page.add_init_script(GPC_ON)
    page.goto(www + "/index.html")
    expect(page.locator(LAYER1)).to_be_visible()
    if case == "rejected":
        button(page, "reject").click()
        expect(page.locator(DIALOG)).to_have_count(0)
    own = {c["name"]: c for c in context.cookies()}
    if case != "never-chose":
        assert own["__Host-" + NAME]["secure"] and own["__Host-" + NAME]["domain"] == "www.example.test"
    plant(page, evil)  # one valid record: only the __Host- name keeps it out
    if case != "never-chose":
        plant(page, evil, "/index.html")  # a longer path would win the cookie order
    page.goto(www + "/index.html")
    if case == "never-chose":
        expect(page.locator(LAYER1)).to_be_visible()
    else:  # the visitor's own choice stands
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator(DIALOG)).to_have_count(0)
        assert record(page)["c"]["analytics"] is False
    nothing_optional_ran(page)
    context.close()


@pytest.mark.parametrize("case", ["rejected", "gpc", "junk"])
def test_http_duplicate_or_junk_record_counts_as_none_and_is_removed(
    sibling_browser: Browser, serve_dir: Serve, tmp_path: Path, case: str
) -> None:
    """On http (no __Host- prefix) two records, or one that does not parse, mean no consent."""
    www, evil = siblings(serve_dir(make_site(tmp_path)))
    context = sibling_browser.new_context()
    page = context.new_page()
    if case == "gpc":
        page.add_init_script(GPC_ON)
    page.goto(www + "/index.html")
    if case != "gpc":
        button(page, "reject").click()
    expect(page.locator(DIALOG if case != "gpc" else LAYER1)).to_have_count(0 if case != "gpc" else 1)
    if case == "junk":
        page.goto(evil + "/frame.html")
        page.evaluate(f"document.cookie = '{NAME}=junk; domain=example.test; path=/index.html'")
    else:
        plant(page, evil)
    page.goto(www + "/index.html")
    expect(page.locator(LAYER1)).to_be_visible()
    nothing_optional_ran(page)
    # every copy was removed, the planted one included (under GPC the refusal is stored again)
    left = [(c["domain"], c["path"]) for c in context.cookies() if c["name"] == NAME]
    assert left == ([("www.example.test", "/")] if case == "gpc" else [])
    # so the next choice sticks
    button(page, "accept").click()
    page.goto(www + "/index.html")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.wait_for_function("(window.__gatedOrder || []).includes('preferences')")
    context.close()


def test_withdrawal_removes_parent_domain_cookies_and_storage_then_reloads(
    sibling_browser: Browser, serve_dir: Serve, tmp_path: Path
) -> None:
    cfg = config()
    declared: list[dict[str, Any]] = [
        {"name": "_pf_demo_analytics", "provider": "Us", "purpose": "Visits", "duration": "1 year"},
        {"name": "_ga_*", "provider": "Google", "purpose": "Analytics", "duration": "13 months"},
        {"name": "pf_an_path", "provider": "Us", "purpose": "Analytics", "duration": "1 day", "path": "/app/"},
        {"name": "pf_an_*", "provider": "Us", "purpose": "Analytics", "duration": "-", "storage": "local"},
        {"name": "pf_an_tab", "provider": "Us", "purpose": "Analytics", "duration": "-", "storage": "session"},
    ]
    cfg["categories"][1]["cookies"] = declared
    page_html = html(
        "<script type='text/plain' data-consent='analytics' src='/analytics.js'></script>",
        '<script src="/gtag-stub.js"></script><script src="/consent.js"></script>',
    )
    www, _ = siblings(serve_dir(make_site(tmp_path, cfg, {"page.html": page_html})))
    context = sibling_browser.new_context()
    page = context.new_page()
    page.goto(www + "/page.html")
    button(page, "accept").click()
    page.wait_for_function("document.cookie.includes('_pf_demo_analytics=1')")
    # what analytics scripts leave behind: cookies on the parent domain (as Google Analytics sets
    # them), on a path, and storage keys; plus things the policy does not declare, which stay
    page.evaluate("""() => {
        for (const c of ['_pf_demo_analytics=2; domain=example.test; path=/', '_ga_X1=1; domain=example.test; path=/',
                         '_ga_X1=1; path=/', 'other=1; domain=example.test; path=/']) document.cookie = c;
        localStorage.setItem('pf_an_1', 'x'); localStorage.setItem('pf_an_2', 'x'); localStorage.setItem('keep', 'x');
        sessionStorage.setItem('pf_an_tab', 'x'); sessionStorage.setItem('keep', 'x');
        policyforge.consent.on('change', s => sessionStorage.setItem('seen', JSON.stringify([s.action, s.categories,
            __gtagCalls[__gtagCalls.length - 1]])));
    }""")
    context.add_cookies([{"name": "pf_an_path", "value": "1", "url": www + "/app/"}])
    page.evaluate("policyforge.consent.show()")
    page.get_by_role("switch", name="Analytics Cookies").uncheck()
    with page.expect_navigation():  # scripts that already run cannot be stopped: the page reloads
        button(page, "save").click()
    expect(page.locator("main h1")).to_be_visible()
    names = sorted((c["name"], c["domain"]) for c in context.cookies() if c["name"] != NAME)
    assert names == [("other", ".example.test")]
    assert page.evaluate("Object.keys(localStorage)") == ["keep"]
    assert sorted(page.evaluate("Object.keys(sessionStorage)")) == ["keep", "seen"]
    action, categories, last_call = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert action == "save" and categories == {"essential": True, "analytics": False, "preferences": True}
    assert last_call == ["consent", "update", {"security_storage": "granted", "analytics_storage": "denied"}]
    assert "analytics-src" not in gated(page)
    context.close()


def test_reload_can_be_turned_off(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    body = "<script type='text/plain' data-consent='analytics' src='/analytics.js'></script>"
    pages = {"page.html": html(body, '<script src="/consent.js" data-reload="false"></script>')}
    open_site(page, serve_dir, tmp_path, path="/page.html", pages=pages)
    button(page, "accept").click()
    page.wait_for_function("document.cookie.includes('_pf_demo_analytics=1')")
    page.evaluate("window.__samePage = true; policyforge.consent.on('change', s => window.__change = s.action)")
    page.evaluate("policyforge.consent.show()")
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("[window.__samePage, window.__change]") == [True, "reject"]
    assert "_pf_demo_analytics" not in page.evaluate("document.cookie")


def test_reset_withdraws_everything_optional(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    base, errors = open_site(page, serve_dir, tmp_path, path="/gtag.html")
    button(page, "accept").click()
    page.wait_for_function("document.cookie.includes('_pf_demo_analytics=1')")
    page.evaluate(
        "policyforge.consent.on('change', s => sessionStorage.setItem('seen', "
        "JSON.stringify([s.action, s.record, s.categories, __gtagCalls[__gtagCalls.length - 1]])))"
    )
    with page.expect_navigation():
        page.evaluate("policyforge.consent.reset()")
    expect(page.locator(LAYER1)).to_be_visible()  # asked again
    assert record(page) is None
    assert {c["name"] for c in page.context.cookies()} == set()
    action, rec, categories, last_call = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert action == "reset" and rec is None
    assert categories == {"essential": True, "analytics": False, "preferences": False}
    assert last_call == ["consent", "update", {"security_storage": "granted", "analytics_storage": "denied"}]
    assert errors == []
    assert base


def test_gpc_counts_after_an_earlier_accept_until_the_visitor_opts_in(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "accept").click()
    page.wait_for_function("(window.__gatedOrder || []).includes('preferences')")
    page.add_init_script(GPC_ON)  # the visitor turns the signal on
    page.reload()
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()  # told once
    expect(dialog.locator(".gpc")).to_have_text(TEXTS["gpc"])
    nothing_optional_ran(page)
    rec = record(page)
    assert rec["gpc"] is True and rec["auto"] is True and rec["c"]["analytics"] is False
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(DIALOG)).to_have_count(0)
    nothing_optional_ran(page)
    # an opt-in after the signal was seen counts, and is recorded as made under GPC
    page.evaluate("policyforge.consent.show()")
    page.get_by_role("switch", name="Analytics Cookies").check()
    button(page, "save").click()
    assert record(page)["gpc"] is True and record(page)["auto"] is False
    page.reload()
    page.wait_for_function("(window.__gatedOrder || []).includes('inline-2')")
    expect(page.locator(DIALOG)).to_have_count(0)

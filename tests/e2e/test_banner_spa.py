"""Consent banner in Chromium: single-page apps, the ready event and queue, the page API's integrity,
Consent Mode order, the cross-subdomain option and the debug flag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    GPC_ON,
    LAYER1,
    a_record,
    button,
    gated,
    html,
    make_site,
    open_site,
    record,
    siblings,
    stored,
    wait_for_true,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]

# What a single-page app does on a route change: push a URL, render content with gated parts.
RENDER_ROUTE = """() => {
    history.pushState({}, "", "/app/settings");
    const view = document.createElement("section");
    const script = document.createElement("script");
    script.type = "text/plain";
    script.dataset.consent = "analytics";
    script.textContent = "(window.__gatedOrder = window.__gatedOrder || []).push('spa-inline')";
    const external = document.createElement("script");
    external.type = "text/plain";
    external.dataset.consent = "analytics";
    external.src = "/analytics.js";
    const frame = document.createElement("iframe");
    frame.dataset.consent = "analytics";
    frame.dataset.src = "/frame.html";
    frame.title = "Route frame";
    frame.id = "route-frame";
    view.append(script, external, frame);
    document.querySelector("main").append(view);
}"""


# A gated inline script of a granted category, added after the changes under test. The banner's
# MutationObserver hands it added nodes in order and activates them at once: when the sentinel has run,
# every change made before it has been handled.
ADD_SENTINEL = """(category) => {
    const script = document.createElement("script");
    script.type = "text/plain";
    script.dataset.consent = category;
    script.textContent = "(window.__gatedOrder = window.__gatedOrder || []).push('sentinel')";
    document.body.append(script);
}"""


def handled(page: Page, category: str) -> None:
    """Wait until the banner has handled every change made to the page so far (see ``ADD_SENTINEL``)."""
    page.evaluate(ADD_SENTINEL, category)
    page.wait_for_function("(window.__gatedOrder || []).includes('sentinel')")


def test_gated_content_added_after_push_state_runs_once_with_consent(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    _, errors = open_site(page, serve_dir, tmp_path)
    button(page, "accept").click()
    page.wait_for_function("(window.__gatedOrder || []).length === 5")
    page.evaluate(RENDER_ROUTE)
    page.wait_for_function("window.__gatedOrder.filter(x => x === 'analytics-src').length === 2")
    assert gated(page)[5:] == ["spa-inline", "analytics-src"]
    expect(page.frame_locator("#route-frame").locator("p")).to_have_text("Embedded content")
    assert page.evaluate("location.pathname") == "/app/settings"
    # moving rendered content around does not run it again
    page.evaluate("document.body.append(document.querySelector('section'))")
    handled(page, "analytics")
    assert gated(page).count("spa-inline") == 1
    assert errors == []


def test_gated_content_added_before_consent_waits_for_it(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    page.evaluate(RENDER_ROUTE)
    handled(page, "essential")  # essential content runs without consent; analytics content waits
    assert gated(page) == ["essential", "sentinel"]
    assert page.locator("#route-frame").get_attribute("src") is None
    button(page, "accept").click()
    page.wait_for_function("(window.__gatedOrder || []).includes('spa-inline')")
    assert gated(page).count("spa-inline") == 1
    expect(page.locator("#route-frame")).to_have_attribute("src", "/frame.html")


READY_PROBES = """
window.__events = [];
document.addEventListener("policyforge:ready", e => __events.push(["event", e.detail]));
window.policyforge = window.policyforge || [];
window.policyforge.push(state => __events.push(["queue", state]));
"""


def test_ready_event_and_queue_with_a_stored_choice(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    base = serve_dir(make_site(tmp_path))
    page.goto(base + "/frame.html")
    stored(page, base, a_record())
    page.add_init_script(READY_PROBES)
    page.goto(base + "/index.html")
    wait_for_true(page, "window.__events.length === 2")
    expected = {
        "categories": {"essential": True, "analytics": True, "preferences": False},
        "record": a_record(),
        "gpc": False,
    }
    assert page.evaluate("__events") == [["event", expected], ["queue", expected]]
    # after load: ready(fn), on("ready", fn) and push(fn) call back at once, with a copy each
    late = page.evaluate("""() => { const got = [];
        policyforge.consent.ready(s => got.push(s)); policyforge.consent.on("ready", s => got.push(s));
        policyforge.push(s => got.push(s)); got[0].categories.analytics = false; return got; }""")
    assert late[1] == late[2] == expected and late[0]["categories"]["analytics"] is False
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    expect(page.locator(DIALOG)).to_have_count(0)


def test_ready_reports_the_gpc_refusal(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    page.add_init_script(GPC_ON + READY_PROBES)
    open_site(page, serve_dir, tmp_path)
    wait_for_true(page, "window.__events.length === 2")
    state = page.evaluate("__events[1][1]")
    assert state["gpc"] is True and state["categories"] == {"essential": True, "analytics": False, "preferences": False}
    assert state["record"]["auto"] is True


def test_get_returns_a_copy(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "accept").click()
    after = page.evaluate("""() => { const r = policyforge.consent.get(); r.c.analytics = false; r.r = "forged";
        return [policyforge.consent.has("analytics"), policyforge.consent.get().c.analytics,
                policyforge.consent.get().r]; }""")
    assert after == [True, True, CONFIG["revision"]]


def test_global_survives_dom_clobbering(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """Named elements (id/name "policyforge") neither switch the banner off nor replace its API."""
    body = (
        '<form id="policyforge" name="policyforge"><input name="consent"><input name="push"></form>'
        '<img name="policyforge" alt=""><script src="/consent.js"></script>'
    )
    _, errors = open_site(page, serve_dir, tmp_path, path="/clobber.html", pages={"clobber.html": html(body, "")})
    expect(page.locator(LAYER1)).to_be_visible()
    kinds = page.evaluate(
        "[typeof policyforge.consent.has, typeof policyforge.push, document.getElementById('policyforge').tagName]"
    )
    assert kinds == ["function", "function", "FORM"]
    button(page, "accept").click()
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    assert errors == []


GOOGLE_TAG = """window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag("js", new Date());
gtag("config", "G-TEST");
"""
DATA_LAYER = "window.dataLayer.map(a => a[0] + ':' + (typeof a[1] === 'string' ? a[1] : 'date'))"


@pytest.mark.parametrize(
    ("banner_tag", "order"),
    [
        # the documented snippet: first in <head>, no defer
        ('<script src="/consent.js"></script>', ["consent:default", "js:date", "config:G-TEST"]),
        # what the snippet prevents: a deferred banner sends its default after the Google tag
        ('<script src="/consent.js" defer></script>', ["js:date", "config:G-TEST", "consent:default"]),
    ],
)
def test_consent_mode_default_comes_first(
    page: Page, serve_dir: Serve, tmp_path: Path, banner_tag: str, order: list[str]
) -> None:
    pages = {"tag.html": html("", banner_tag + '<script src="/google-tag.js"></script>'), "google-tag.js": GOOGLE_TAG}
    base, _ = open_site(
        page,
        serve_dir,
        tmp_path,
        path="/tag.html",
        pages=pages,
        headers={"Content-Security-Policy": "default-src 'self'"},
    )
    wait_for_true(page, "window.dataLayer.length >= 3")
    assert page.evaluate(DATA_LAYER) == order
    if banner_tag.endswith("></script>") and "defer" not in banner_tag:
        stored(page, base, a_record())
        page.reload()
        wait_for_true(page, "window.dataLayer.length >= 4")
        assert page.evaluate(DATA_LAYER) == ["consent:default", "consent:update", "js:date", "config:G-TEST"]


def test_cross_subdomain_option(sibling_browser: Browser, serve_dir: Serve, tmp_path: Path) -> None:
    """data-cookie-domain shares one choice across subdomains (and accepts the risk documented)."""
    shared = html("", '<script src="/consent.js" data-cookie-domain="example.test"></script>')
    www, evil = siblings(serve_dir(make_site(tmp_path, pages={"shared.html": shared})))
    context = sibling_browser.new_context()
    page = context.new_page()
    page.goto(www + "/shared.html")
    button(page, "reject").click()
    domains = [c["domain"] for c in context.cookies() if c["name"] == CONFIG["cookie"]]
    assert domains == [".example.test"]
    page.goto(evil.replace("evil", "shop") + "/shared.html")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is False
    context.close()


def test_a_broken_gtag_does_not_stop_the_banner(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    pages = {
        "broken-gtag.js": "window.gtag = () => { throw new Error('broken gtag'); };",
        "broken.html": html("", '<script src="/broken-gtag.js"></script><script src="/consent.js"></script>'),
    }
    _, errors = open_site(page, serve_dir, tmp_path, path="/broken.html", pages=pages)
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    assert errors == []


THROWING_COOKIE = """Object.defineProperty(Document.prototype, "cookie", {configurable: true,
  get() { throw new DOMException("cookies disabled", "SecurityError"); },
  set(v) { throw new DOMException("cookies disabled", "SecurityError"); }});"""


@pytest.mark.parametrize("debug", [True, False])
def test_debug_flag_logs_swallowed_errors(page: Page, serve_dir: Serve, tmp_path: Path, debug: bool) -> None:
    tag = '<script src="/consent.js" data-debug></script>' if debug else '<script src="/consent.js"></script>'
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.add_init_script(THROWING_COOKIE)
    _, errors = open_site(page, serve_dir, tmp_path, path="/debug.html", pages={"debug.html": html("", tag)})
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    logged = [w for w in warnings if w.startswith("policyforge: ")]
    if debug:
        # the read at load and the write of the choice (the error's stack says where; the source says why)
        assert len([w for w in logged if "SecurityError: cookies disabled" in w]) >= 2, warnings
    else:
        assert logged == []
    assert errors == []

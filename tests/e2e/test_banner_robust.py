"""Consent banner in Chromium: hostile pages, broken cookies, strict CSP and axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    LAYER1,
    LAYER2,
    button,
    gated,
    make_site,
    open_site,
    record,
    shadow,
    wait_for_true,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]

THROWING_COOKIE = """
Object.defineProperty(Document.prototype, "cookie", {
  configurable: true,
  get() { throw new DOMException("cookies disabled", "SecurityError"); },
  set(v) { throw new DOMException("cookies disabled", "SecurityError"); },
});
"""


def test_throwing_cookie_access(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    page.add_init_script(THROWING_COOKIE)
    _, errors = open_site(page, serve_dir, tmp_path, path="/csp.html")
    expect(page.locator(LAYER1)).to_be_visible()
    assert record(page) is None
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("policyforge.consent.has('analytics')") is True  # in memory for this page
    page.wait_for_function("(window.__gatedOrder || []).includes('analytics-src')")
    assert "cookies disabled" in page.evaluate("window.__analyticsCookieError")  # the override is active
    with page.expect_navigation():  # reset() withdraws analytics: the page reloads
        page.evaluate("policyforge.consent.reset()")
    expect(page.locator(LAYER1)).to_be_visible()
    assert errors == []


def test_cookies_blocked_by_browser(browser: Browser, serve_dir: Serve, tmp_path: Path) -> None:
    """An opaque-origin (sandboxed) document throws SecurityError on any document.cookie access."""
    base = serve_dir(make_site(tmp_path), {"Content-Security-Policy": "sandbox allow-scripts"})
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/index.html")
    with pytest.raises(Exception, match=r"SecurityError|sandboxed|cookie"):
        page.evaluate("document.cookie")
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("policyforge.consent.get().c.analytics") is False
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    "value",
    ["%E0%A4%A", "yes", "%7B%22v%22%3A2%7D", "null", "%5B1%5D", "%7B%22v%22%3A1%2C%22c%22%3A7%7D"],
)
def test_corrupt_or_old_record(page: Page, serve_dir: Serve, tmp_path: Path, value: str) -> None:
    base = serve_dir(make_site(tmp_path))
    page.context.add_cookies([{"name": CONFIG["cookie"], "value": value, "url": base}])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/index.html")
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate("policyforge.consent.has('analytics')") is False
    button(page, "reject").click()
    assert record(page)["c"]["analytics"] is False
    assert errors == []


def test_hostile_host_css(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    _, errors = open_site(page, serve_dir, tmp_path, path="/hostile.html")
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()
    for action in ("accept", "reject", "choose", "close"):
        expect(button(page, action)).to_be_visible()
    style = page.evaluate(
        shadow(
            "(b => [getComputedStyle(b).fontSize, getComputedStyle(b).color, getComputedStyle(b).display])"
            "(r.querySelector('[data-action=accept]'))"
        )
    )
    assert style == ["14px", "rgb(255, 255, 255)", "block"]
    host = page.evaluate(
        "(s => [s.display, s.position])(getComputedStyle(document.querySelector('policyforge-consent')))"
    )
    assert host == ["block", "fixed"]
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.wait_for_function("(window.__gatedOrder || []).includes('analytics-src')")
    assert errors == []


def test_strict_csp(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    csp = {"Content-Security-Policy": "default-src 'self'"}
    base, errors = open_site(page, serve_dir, tmp_path, path="/csp.html", headers=csp)
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()
    # the constructable stylesheet applied: the card is styled, not a bare unstyled div
    looks = page.evaluate(shadow("(s => [s.backgroundColor, s.borderRadius])(getComputedStyle(r.firstElementChild))"))
    assert looks == ["rgb(255, 255, 255)", "12px"]
    assert gated(page) == []
    button(page, "accept").click()
    wait_for_true(page, "(window.__gatedOrder || []).includes('analytics-src')")
    assert page.evaluate("window.__cspViolations") == []
    # the policy really is enforced on this page: an inline script is blocked and reported
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__inl = 1'; "
        "document.body.append(s); }"
    )
    wait_for_true(page, "window.__cspViolations.length > 0")
    assert page.evaluate("window.__inl") is None
    assert errors == []
    assert base.startswith("http://127.0.0.1")


def _axe_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_no_violations(page: Page, serve_dir: Serve, tmp_path: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    assert _axe_violations(page) == []
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    assert _axe_violations(page) == []
    # axe did look inside the shadow root
    results = Axe().run(page, options={"runOnly": ["button-name"], "resultTypes": ["passes"]})
    targets = [n["target"] for p in results.response["passes"] for n in p["nodes"]]
    assert any(isinstance(t[0], list) and "policyforge-consent" in t[0][0] for t in targets), targets


def test_throwing_storage_apis(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """Pages that forbid storage (privacy modes, sandboxed frames) make every storage API throw."""
    page.add_init_script(
        "for (const name of ['localStorage', 'sessionStorage', 'indexedDB']) {"
        "  Object.defineProperty(window, name, {get() { throw new DOMException('denied', 'SecurityError'); }});"
        "}"
    )
    _, errors = open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.wait_for_function("(window.__gatedOrder || []).length > 0")
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    assert page.evaluate("(() => { try { localStorage; return 'no'; } catch (e) { return 'threw'; } })()") == "threw"
    assert errors == []

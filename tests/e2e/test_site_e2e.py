"""The built example in Chromium: numbering, anchors, print view, search, screenshots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.conftest import ROOT

SHOTS = ROOT / ".cache" / "shots"


def dismiss_banner(page: Page) -> None:
    """Keep the banner out of the way of what these tests look at (tested elsewhere)."""
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")


def test_headings_are_numbered_in_order(page: Page, example_url: str) -> None:
    page.goto(example_url)
    h2 = page.locator("article h2[id]").all_inner_texts()
    assert [t.split()[0] for t in h2[:12]] == [f"{i}." for i in range(1, 13)]
    assert page.locator("h3#cookies").inner_text().startswith("2.4")
    assert page.locator("h3#account-information").inner_text().startswith("2.1")


def test_cookies_anchor_scrolls_to_the_cookie_section(page: Page, example_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(example_url + "#cookies")
    heading = page.locator("h3#cookies")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 300
    titles = page.locator("#cookies ~ .pf-body .pf-cat-title").all_inner_texts()
    assert titles[0].startswith("Essential Cookies")


def test_print_view_shows_only_the_policy(page: Page, example_url: str) -> None:
    page.goto(example_url)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("h3#cookies")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".md-header")).to_be_visible()


def test_search_finds_stripe(page: Page, example_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(example_url)
    dismiss_banner(page)
    page.keyboard.press("/")
    page.keyboard.type("Stripe", delay=20)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    assert "Stripe" in page.locator(".md-search-result").inner_text()


def test_contact_is_a_mailto_link_and_palettes_follow_the_system(browser: Browser, example_url: str) -> None:
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        page = browser.new_page(color_scheme=scheme)
        page.goto(example_url)
        link = page.locator("#contact ~ .pf-body a[href='mailto:contact@gptimage2ai.com']")
        expect(link).to_have_count(2)  # the text's, and the controller's contact in `include: controller`
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.close()


def test_screenshots_desktop_and_phone(page: Page, example_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(example_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        path = Path(SHOTS / f"policy-{width}.png")
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000

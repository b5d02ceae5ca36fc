"""The banner in the visitor's language, in Chromium: picked from the page's <html lang>, then the browser's
languages; switched by the page API; right to left for Arabic (axe-clean); one choice for every language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from policyforge.banner.languages import builtin_texts
from policyforge.source.locales import right_to_left
from tests.e2e.banner_kit import (
    CATEGORY_TEXTS,
    CONFIG,
    DIALOG,
    HOST,
    LAYER1,
    LAYER2,
    TEXTS,
    button,
    html,
    make_site,
    multilingual,
    open_site,
    record,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]
DE = builtin_texts("de") or {}
AR = builtin_texts("ar") or {}
LANG_DIR = f"(h => [h.lang, h.dir])(document.querySelector('{HOST}'))"


def page_in(lang: str | None, head: str = '<script src="/consent.js"></script>') -> str:
    """A test page declaring ``lang`` (None: no lang attribute)."""
    declared = f'<html lang="{lang}">' if lang else "<html>"
    return html("<p>Text</p>", head).replace('<html lang="en">', declared)


PAGES = {
    "de.html": page_in("de"),
    "de-at.html": page_in("de-AT"),
    "en.html": page_in("en"),
    "ar.html": page_in("ar"),
    "fr.html": page_in("fr"),
    "none.html": page_in(None),
}


def heading(page: Page) -> Any:
    return page.locator(f"{DIALOG} h2")


@pytest.mark.parametrize("path", ["/de.html", "/de-at.html"])
def test_german_page_gets_the_german_banner(page: Page, serve_dir: Serve, tmp_path: Path, path: str) -> None:
    open_site(page, serve_dir, tmp_path, path=path, cfg=multilingual("de", "ar"), pages=PAGES)
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(LANG_DIR) == ["de", "ltr"]
    expect(button(page, "accept")).to_have_text(DE["accept"])
    expect(button(page, "reject")).to_have_text(DE["reject"])
    expect(page.locator(f"{DIALOG} #pf-d")).to_contain_text(DE["text"])
    button(page, "choose").click()
    expect(page.get_by_role("switch", name=CATEGORY_TEXTS["de"][1][0])).to_be_visible()
    expect(page.locator(f"{DIALOG} [data-category=essential] dt").first).to_have_text(DE["name"])
    page.locator(f"{DIALOG} [data-category=essential] summary").click()
    expect(page.locator(f"{DIALOG} [data-cookie=pf_consent] dd").nth(2)).to_have_text(CATEGORY_TEXTS["de"][0][2][0])
    assert page.evaluate("policyforge.consent.language()") == "de"


def test_a_language_the_banner_lacks_falls_back(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """A French page with a banner in English and German, in a German browser: the browser's language wins
    over the default; the texts never mix."""
    page.context.close()
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(locale="de-DE")
    try:
        german = context.new_page()
        open_site(german, serve_dir, tmp_path, path="/fr.html", cfg=multilingual("de"), pages=PAGES)
        expect(german.locator(LAYER1)).to_be_visible()
        assert german.evaluate("navigator.languages[0]") == "de-DE"
        expect(button(german, "accept")).to_have_text(DE["accept"])
        # no lang on the page: the browser's languages decide too
        german.goto(german.url.replace("/fr.html", "/none.html"))
        expect(button(german, "accept")).to_have_text(DE["accept"])
        # nothing fits: the default language (the original's)
        only_arabic = make_site(tmp_path / "ar-only", multilingual("ar"), PAGES)
        german.goto(serve_dir(only_arabic) + "/fr.html")
        expect(button(german, "accept")).to_have_text(TEXTS["accept"])
        assert german.evaluate(LANG_DIR) == ["en", "ltr"]
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_arabic_page_gets_a_right_to_left_banner_without_axe_violations(
    page: Page, serve_dir: Serve, tmp_path: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 640 if width < 400 else 800})
    open_site(page, serve_dir, tmp_path, path="/ar.html", cfg=multilingual("de", "ar"), pages=PAGES)
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(LANG_DIR) == ["ar", "rtl"]
    assert (
        page.evaluate(
            f"getComputedStyle(document.querySelector('{HOST}').shadowRoot.querySelector('[role=dialog]')).direction"
        )
        == "rtl"
    )
    expect(button(page, "accept")).to_have_text(AR["accept"])
    expect(button(page, "reject")).to_have_text(AR["reject"])
    box, close = page.locator(LAYER1).bounding_box(), button(page, "close").bounding_box()
    assert box is not None and close is not None and close["x"] < box["x"] + box["width"] / 2  # mirrored
    assert _axe(page) == []
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    for summary in page.locator(f"{DIALOG} summary").all():
        summary.click()
    expect(page.get_by_role("switch", name=CATEGORY_TEXTS["ar"][1][0])).to_be_visible()
    assert _axe(page) == []


def _axe(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_a_choice_in_one_language_holds_in_every_other(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    base, errors = open_site(page, serve_dir, tmp_path, path="/de.html", cfg=multilingual("de", "ar"), pages=PAGES)
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    chosen = record(page)
    assert chosen["r"] == CONFIG["revision"] and chosen["c"]["analytics"] is True
    for other in ("/en.html", "/ar.html", "/fr.html"):
        page.goto(base + other)
        page.wait_for_function("window.policyforge && window.policyforge.consent")
        expect(page.locator(DIALOG)).to_have_count(0)
        assert page.evaluate("policyforge.consent.has('analytics')") is True
        assert record(page) == chosen, other
    # and the settings layer opened in Arabic shows that same choice
    page.goto(base + "/ar.html")
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    expect(page.get_by_role("switch", name=CATEGORY_TEXTS["ar"][1][0])).to_be_checked()
    assert errors == []


def test_the_page_api_switches_the_language(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path, path="/en.html", cfg=multilingual("de", "ar"), pages=PAGES)
    expect(button(page, "accept")).to_have_text(TEXTS["accept"])
    assert page.evaluate("policyforge.consent.language()") == "en"
    # the open notice is shown again in German, and keeps the focus inside
    assert page.evaluate("policyforge.consent.language('de-CH')") == "de"
    expect(button(page, "accept")).to_have_text(DE["accept"])
    expect(page.locator(LAYER1)).to_have_count(1)
    assert page.evaluate(LANG_DIR) == ["de", "ltr"]
    # settings stay the open layer, now in Arabic, right to left
    button(page, "choose").click()
    page.get_by_role("switch", name=CATEGORY_TEXTS["de"][1][0]).click()
    assert page.evaluate("policyforge.consent.language('ar')") == "ar"
    expect(page.locator(LAYER2)).to_be_visible()
    expect(heading(page)).to_have_text(AR["settingsTitle"])
    assert page.evaluate(LANG_DIR) == ["ar", "rtl"]
    # a language the banner does not speak changes nothing; back to the default works
    assert page.evaluate("policyforge.consent.language('ja')") == "ar"
    assert page.evaluate("policyforge.consent.language('en')") == "en"
    expect(heading(page)).to_have_text(TEXTS["settingsTitle"])
    expect(page.get_by_role("switch", name="Analytics Cookies")).to_be_visible()
    expect(page.locator(f"{DIALOG} [data-category=essential] dt").first).to_have_text(TEXTS["name"])
    # the choice made across the switches is one choice
    button(page, "reject").click()
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}


def test_data_lang_picks_the_language(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    pages = {"x.html": page_in("en", '<script src="/consent.js" data-lang="de"></script>')}
    open_site(page, serve_dir, tmp_path, path="/x.html", cfg=multilingual("de"), pages=pages)
    expect(button(page, "accept")).to_have_text(DE["accept"])
    assert page.evaluate(LANG_DIR) == ["de", "ltr"]


def test_the_example_site_speaks_german_under_de(page: Page, example_url: str) -> None:
    """The built example (translations: [de]): its German pages show the German banner with the texts of its
    translation file; a choice made there holds on the English pages."""
    page.goto(example_url + "de/")
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(LANG_DIR) == ["de", "ltr"]
    expect(heading(page)).to_have_text("Cookies bei GPT Image 2")  # banner: in translations/de.yaml
    # its policy link leads to the German policy page's cookie section
    assert (page.locator(f"{DIALOG} #pf-d a").get_attribute("href") or "").endswith("/de/#cookies")
    expect(button(page, "reject")).to_have_text(DE["reject"])
    button(page, "choose").click()
    expect(page.get_by_role("switch", name="Analyse-Cookies")).to_be_visible()
    page.get_by_role("switch", name="Analyse-Cookies").click()
    button(page, "save").click()
    page.goto(example_url)
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert page.evaluate("['analytics', 'marketing'].map(policyforge.consent.has)") == [True, False]
    page.evaluate("policyforge.consent.show()")
    expect(heading(page)).to_have_text("Cookie settings")
    expect(page.get_by_role("switch", name="Analytics Cookies")).to_be_checked()


def test_a_language_cldr_writes_right_to_left_gets_a_right_to_left_banner(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    """Pashto, which no hand-written list in the script knew: the build's rtl list (from CLDR) sets dir."""
    cfg = {**multilingual("de"), "lang": "ps", "rtl": right_to_left(["ps", "de"])}
    open_site(page, serve_dir, tmp_path, path="/ps.html", cfg=cfg, pages={"ps.html": page_in("ps")})
    expect(page.locator(LAYER1)).to_be_visible()
    assert cfg["rtl"] == ["ps"] and page.evaluate(LANG_DIR) == ["ps", "rtl"]
    assert page.evaluate("policyforge.consent.language('de')") == "de"
    expect(page.locator(HOST)).to_have_attribute("lang", "de")  # with the second stage, which carries German
    assert page.evaluate(LANG_DIR) == ["de", "ltr"]

"""The three-language fixture in Chromium: the language selector keeps the page, Arabic lays out right to left,
the German search is German (stop words, umlauts, its own UI words)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from policyforge.mkdocs_plugin import engine
from tests.helpers import languages_project

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    options = languages_project(tmp_path_factory.mktemp("languages-e2e") / "p")
    assert options.config_file is not None
    return engine.build(options.config_file)


def _dismiss_banner(page: Page) -> None:
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")


def _switch(page: Page, lang: str) -> None:
    """Open the theme's language selector and pick ``lang``, as a visitor does."""
    _dismiss_banner(page)
    page.locator(".md-header .md-select").hover()
    link = page.locator(f'.md-select__link[hreflang="{lang}"]')
    expect(link).to_be_visible()
    link.click()


@pytest.mark.parametrize(
    ("start", "lang", "landing"),
    [
        ("de/versions/2024-01-01/", "en", "/versions/2024-01-01/"),
        ("changes/2024-06-01/", "de", "/de/changes/2024-06-01/"),
        ("de/changes/since/2024-01-01/", "ar", "/ar/changes/since/2024-01-01/"),
        ("ar/", "de", "/de/"),
        ("about/", "de", "/de/"),  # a page only the original's site has: the language's home page
    ],
)
def test_language_selector_goes_to_the_same_page(
    page: Page, languages_site: Path, serve_dir: Callable[..., str], start: str, lang: str, landing: str
) -> None:
    base = serve_dir(languages_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/{start}")
    _switch(page, lang)
    expect(page).to_have_url(f"{base}{landing}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("article h1")).to_be_visible()


def test_arabic_pages_lay_out_right_to_left(page: Page, languages_site: Path, serve_dir: Callable[..., str]) -> None:
    base = serve_dir(languages_site)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/ar/")
        _dismiss_banner(page)
        expect(page.locator("body")).to_have_attribute("dir", "rtl")  # where the theme writes the direction
        article = page.locator("article")
        assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
        heading = page.locator("#intro")
        box, content = heading.bounding_box(), article.bounding_box()
        assert box is not None and content is not None
        assert abs((box["x"] + box["width"]) - (content["x"] + content["width"])) < 40  # starts at the right edge
        assert "مقدمة" in heading.inner_text()
        expect(page.locator('link[rel~="alternate"][hreflang="x-default"]')).to_have_count(1)
        # The theme's own `link[rel=alternate]` lookup (a sitemap fetch per alternate) does not see them.
        assert page.evaluate("document.querySelectorAll('link[rel=alternate][hreflang]').length") == 0


def test_german_search_speaks_german(page: Page, languages_site: Path, serve_dir: Callable[..., str]) -> None:
    # The German index is built by lunr's German support: German stop words ("wir", "und") are not indexed,
    # German words with umlauts are found whole and by their beginning (the theme searches prefixes).
    base = serve_dir(languages_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    for query, found in (
        ("Einleitung", "Einleitung"),
        ("Weitergab", "Weitergabe an Dritte"),
        ("wir", None),
        ("und", None),
    ):
        page.goto(f"{base}/de/")
        _dismiss_banner(page)
        page.locator(".md-search__input").first.click()
        page.keyboard.type(query, delay=20)
        meta = page.locator(".md-search-result__meta")
        if found is None:
            expect(meta).to_have_text("Keine Suchergebnisse")
            assert query in page.locator("article").inner_text()  # on the page, but a German stop word
        else:
            expect(page.locator(".md-search-result__list")).to_contain_text(found)
            expect(meta).to_contain_text("Suchergebnis")


@pytest.mark.parametrize("path", ["ar/", "ar/versions/", "ar/changes/2024-06-01/", "de/versions/2024-01-01/"])
def test_translated_pages_have_no_axe_violations(
    page: Page, languages_site: Path, serve_dir: Callable[..., str], path: str
) -> None:
    base = serve_dir(languages_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/{path}")
    _dismiss_banner(page)
    found = Axe().run(page).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found] == []

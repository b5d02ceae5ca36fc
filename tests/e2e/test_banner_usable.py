"""Consent banner in Chromium, usable beyond what axe checks (issue 25.2): a focus indicator of at least
3:1 measured on screenshots in light, dark and forced colours, texts readable in forced colours, a
field the page focused keeps its focus, the shortcut, the modal mode, distinct disclosure names, and
the example policy's first layer within 40% of a 320x568 phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.banner_kit import DIALOG, HOST, LAYER1, LAYER2, button, html, open_site, shadow
from tests.e2e.pixels import Pixel, contrast, decode_png

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]
MODES: dict[str, dict[str, Any]] = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "forced": {"forced_colors": "active", "color_scheme": "dark"},
}
MARGIN = 8  # CSS px around a control: where its indicator is drawn
# Themes a product may set (docs/embedding.md): none, the guide's example, text colour only.
THEMES = {
    "system": "",
    "themed": "--pf-accent:#5b21b6;--pf-accent-fg:#fff;--pf-radius:4px",
    "text only": "--pf-accent-fg:#fff",
}


def themed(theme: str) -> dict[str, str]:
    """A page with ``THEMES[theme]`` on the banner's host elements."""
    head = f"<style>policyforge-consent{{{THEMES[theme]}}}</style>" + '<script src="/consent.js"></script>'
    return {"themed.html": html("<p>Themed</p>", head)}


CONTROLS = "r.querySelectorAll('button,a[href],input:enabled,summary')"


def region(page: Page, index: int) -> dict[str, float]:
    """The viewport area of the banner's ``index``-th focusable control, with MARGIN around it."""
    box = page.evaluate(shadow(f"{CONTROLS}[{index}].getBoundingClientRect().toJSON()"))
    return {
        "x": box["x"] - MARGIN,
        "y": box["y"] - MARGIN,
        "width": box["width"] + 2 * MARGIN,
        "height": box["height"] + 2 * MARGIN,
    }


def pixels(page: Page, clip: dict[str, float]) -> list[Pixel]:
    return decode_png(page.screenshot(clip=clip, animations="disabled", caret="hide"))[2]


def indicator(page: Page, index: int) -> tuple[int, int, float]:
    """Focus the ``index``-th control from the keyboard's state; return (pixels that changed, of them those at
    3:1 or more against the same pixel unfocused, the control's perimeter in px)."""
    clip = region(page, index)
    before = pixels(page, clip)
    page.evaluate(shadow(f"{CONTROLS}[{index}].focus()"))
    assert page.evaluate(shadow("r.activeElement.matches(':focus-visible')"))
    after = pixels(page, clip)
    page.evaluate(shadow("r.querySelector('[role=dialog]').focus()"))
    ratios = [contrast(a, b) for a, b in zip(before, after, strict=True) if a != b]
    perimeter = 2 * (clip["width"] + clip["height"] - 4 * MARGIN)
    return len(ratios), sum(ratio >= 3 for ratio in ratios), perimeter


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("mode", list(MODES))
def test_focus_indicator_contrast(page: Page, serve_dir: Serve, tmp_path: Path, mode: str, theme: str) -> None:
    """Every control of both layers: the focus indicator differs from the unfocused state by 3:1 or more
    over an area of at least a 2 px thick perimeter (WCAG 2.4.13's measure, which 2.4.7 needs to be seen)."""
    page.emulate_media(**MODES[mode])
    open_site(page, serve_dir, tmp_path, "/themed.html", pages=themed(theme))
    expect(page.locator(LAYER1)).to_be_visible()
    for layer, selector in ((1, LAYER1), (2, LAYER2)):
        if layer == 2:
            button(page, "choose").click()
            page.keyboard.press("Shift+Tab")  # back to keyboard mode: :focus-visible from here on
            page.evaluate(shadow("r.querySelector('[role=dialog]').focus()"))
        expect(page.locator(selector)).to_be_visible()
        count = page.evaluate(shadow(f"{CONTROLS}.length"))
        for index in range(count):
            changed, strong, perimeter = indicator(page, index)
            assert strong >= 2 * perimeter, (mode, layer, index, changed, strong, perimeter)


def text_contrast(page: Page, selector: str) -> float:
    """The best contrast between a control's most common pixel (its background) and any of its pixels (its text)."""
    shot = decode_png(page.locator(selector).screenshot(animations="disabled"))[2]
    background = max(set(shot), key=shot.count)
    return max(contrast(background, pixel) for pixel in shot)


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_forced_colours_texts_readable(page: Page, serve_dir: Serve, tmp_path: Path, scheme: str, theme: str) -> None:
    """Windows high contrast, whatever the theme: each button's label stands out of its box, 4.5:1 at least,
    and each switch out of the banner, 3:1."""
    page.emulate_media(forced_colors="active", color_scheme=scheme)
    open_site(page, serve_dir, tmp_path, "/themed.html", pages=themed(theme))
    for action in ("accept", "reject", "choose"):
        assert text_contrast(page, f"{DIALOG} [data-action='{action}']") >= 4.5, action
    button(page, "choose").click()
    assert text_contrast(page, f"{DIALOG} [data-action='save']") >= 4.5
    for index in range(page.locator(f"{LAYER2} input").count()):
        switch = page.locator(f"{LAYER2} input").nth(index)
        assert text_contrast(page, f"{LAYER2} .cat:nth-child({index + 1}) input") >= 3, switch.get_attribute("data-c")


AUTOFOCUS = html('<label>Search <input id="q" autofocus></label>')


def test_autofocused_field_keeps_focus(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """The banner, a non-modal dialog, leaves the page's focused field alone; Alt+Shift+C reaches it."""
    open_site(page, serve_dir, tmp_path, "/auto.html", pages={"auto.html": AUTOFOCUS})
    expect(page.locator(LAYER1)).to_be_visible()
    page.wait_for_function("document.activeElement.id === 'q'")
    page.keyboard.type("cookies")
    assert page.input_value("#q") == "cookies"
    page.keyboard.press("Alt+Shift+C")
    assert page.evaluate(shadow("r.activeElement === r.querySelector('[role=dialog]')"))
    assert page.input_value("#q") == "cookies"


def test_shortcut_opens_settings_when_closed(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.keyboard.press("Alt+Shift+C")
    expect(page.locator(LAYER2)).to_be_focused()


MODAL = html(
    '<button id="page-button" onclick="window.__clicked = true">Page</button>',
    '<script src="/consent.js" data-modal></script>',
)


def test_modal_mode(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """data-modal: aria-modal on the dialog, the page inert while it is open, usable again after a choice."""
    open_site(page, serve_dir, tmp_path, "/modal.html", pages={"modal.html": MODAL})
    dialog = page.locator(LAYER1)
    expect(dialog).to_have_attribute("aria-modal", "true")
    assert page.evaluate("document.querySelector('main').inert")
    page.locator("#page-button").click(force=True)
    assert page.evaluate("window.__clicked") is None
    for _ in range(8):  # Tab never reaches the page
        page.keyboard.press("Tab")
        assert not page.evaluate("!!document.activeElement.closest('main')")
    button(page, "reject").click()
    assert not page.evaluate("document.querySelector('main').inert")
    page.locator("#page-button").click()
    assert page.evaluate("window.__clicked") is True


def test_not_modal_by_default(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).not_to_have_attribute("aria-modal", "true")
    assert not page.evaluate("document.querySelector('main').inert")


def test_cookie_disclosures_have_distinct_names(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()  # the settings layer comes with the second stage
    names = page.evaluate(shadow("[...r.querySelectorAll('summary')].map(s => s.getAttribute('aria-label'))"))
    titles = page.locator(f"{LAYER2} .pf-cat-title").all_text_contents()
    assert len(names) >= 2 and len(set(names)) == len(names)
    for name in names:  # the visible text first, then the category's title
        assert name.startswith("Cookies") and any(name.endswith(title) for title in titles), name


def example_config() -> dict[str, Any]:
    """The banner configuration of the example policy (this repository's mkdocs.yml), with its languages."""
    from policyforge.banner.config import banner_config
    from policyforge.banner.languages import banner_languages
    from policyforge.site.build import prepare
    from policyforge.source.options import read_project

    options = read_project(ROOT / "mkdocs.yml")
    inputs = prepare(options)
    changes = options.url() + "changes/since/{revision}/"
    others = banner_languages(options, inputs.current, with_changes=True)
    return banner_config(inputs.current, policy_url=options.url(), changes_url=changes, released=True, others=others)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_example_first_layer_within_40_percent_of_a_phone(
    page: Page, serve_dir: Serve, tmp_path: Path, lang: str
) -> None:
    """The example policy's own texts, not the fixture's: the first layer fits in 40% of 320x568."""
    page.set_viewport_size({"width": 320, "height": 568})
    page_html = html("").replace('<html lang="en">', f'<html lang="{lang}">')
    open_site(page, serve_dir, tmp_path, "/phone.html", cfg=example_config(), pages={"phone.html": page_html})
    expect(page.locator(HOST)).to_have_attribute("lang", lang)
    rect = page.locator(LAYER1).bounding_box()
    assert rect is not None
    assert rect["height"] <= 0.4 * 568, rect

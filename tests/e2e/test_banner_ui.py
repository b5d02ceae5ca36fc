"""Consent banner UI in Chromium: phones, dark scheme, theme properties, direction, frame placeholders, axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

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
    multilingual,
    open_site,
    shadow,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]

FRAME = (
    '<p>Map below</p><iframe data-consent="preferences" data-src="/frame.html" title="Map"'
    ' width="300" height="150"></iframe>'
)
RTL = html(FRAME).replace('<html lang="en">', '<html lang="ar" dir="rtl">')

# The rendered position of the text `part` inside the first element matching `selector` in the banner.
TEXT_BOX = """([selector, part]) => {
  const el = document.querySelector("policyforge-consent").shadowRoot.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.data.includes(part));
  const range = document.createRange();
  const at = node.data.indexOf(part);
  range.setStart(node, at); range.setEnd(node, at + part.length);
  const rects = [...range.getClientRects()];
  return {left: Math.min(...rects.map(r => r.left)), lines: new Set(rects.map(r => Math.round(r.top))).size};
}"""

BOX_COLOURS = shadow("(s => [s.backgroundColor, s.color])(getComputedStyle(r.querySelector('[role=dialog]')))")


def luminance(rgb: str) -> float:
    """Rough relative luminance (0..1) of a computed `rgb(...)` colour."""
    parts = [float(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    return (0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]) / 255


def test_phone_first_layer_within_40_percent(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 320, "height": 568})
    open_site(page, serve_dir, tmp_path)
    rect = page.locator(LAYER1).bounding_box()
    assert rect is not None
    assert rect["height"] <= 0.4 * 568, rect
    assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 320 and rect["y"] + rect["height"] <= 568
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_phone_settings_layer(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """Switches, collapsed cookie lists, buttons always in reach, names never broken, labels apart."""
    page.set_viewport_size({"width": 320, "height": 568})
    open_site(page, serve_dir, tmp_path)
    button(page, "choose").click()
    dialog = page.locator(LAYER2)
    expect(dialog).to_be_visible()
    switches = page.get_by_role("switch")
    expect(switches).to_have_count(len(CONFIG["categories"]))
    expect(page.get_by_role("switch", name="Essential Cookies")).to_be_checked()
    expect(page.get_by_role("switch", name="Essential Cookies")).to_be_disabled()
    analytics = page.get_by_role("switch", name="Analytics Cookies")
    assert analytics.get_attribute("role") == "switch"
    expect(analytics).not_to_be_checked()
    analytics.click()
    expect(analytics).to_be_checked()  # the accessible checked state (aria-checked) follows
    # cookie lists are collapsed per category, behind a disclosure
    expect(dialog.locator("[data-cookie]").first).to_be_hidden()
    summary = dialog.locator("[data-category=analytics] summary")
    expect(summary).to_have_text(TEXTS["cookies"])
    summary.click()
    name = dialog.locator("[data-cookie=_pf_demo_analytics]")
    expect(name).to_be_visible()
    expect(dialog.locator("[data-category=essential] [data-cookie]")).to_be_hidden()
    # the box scrolls (with every cookie list open); the action row stays in the viewport at its top and bottom
    dialog.locator("[data-category=essential] summary").click()
    assert page.evaluate(shadow("(b => b.scrollHeight > b.clientHeight)(r.querySelector('[role=dialog]'))"))
    for where in ("0", "b.scrollHeight"):
        page.evaluate(shadow(f"(b => {{ b.scrollTop = {where}; }})(r.querySelector('[role=dialog]'))"))
        for action in ("save", "accept", "reject"):
            rect = button(page, action).bounding_box()
            assert rect is not None and rect["y"] >= 0 and rect["y"] + rect["height"] <= 568, (where, action, rect)
    # a cookie name is one word on one line; labels and values never run together
    name_box = page.evaluate(TEXT_BOX, ["[data-cookie=_pf_demo_analytics] dd", "_pf_demo_analytics"])
    assert name_box["lines"] == 1
    rows = page.evaluate(
        shadow("""[...r.querySelectorAll("[data-cookie=_pf_demo_analytics] > *")].map(e => {
        const b = e.getBoundingClientRect(); return [e.tagName, b.left, b.right, b.top]; })""")
    )
    assert [row[0] for row in rows] == ["DT", "DD"] * 4
    for label, value in zip(rows[::2], rows[1::2], strict=True):
        assert label[2] <= value[1] and label[3] == value[3], (label, value)
    assert page.evaluate(shadow("(b => b.scrollWidth <= b.clientWidth)(r.querySelector('[role=dialog]'))"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_follows_the_colour_scheme(page: Page, serve_dir: Serve, tmp_path: Path, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    background, text = page.evaluate(BOX_COLOURS)
    if scheme == "dark":
        assert luminance(background) < 0.2 and luminance(text) > 0.8, (background, text)
    else:
        assert luminance(background) > 0.9 and luminance(text) < 0.2, (background, text)
    accept = page.evaluate(shadow("getComputedStyle(r.querySelector('[data-action=accept]')).backgroundColor"))
    assert (luminance(accept) > 0.8) == (scheme == "dark")


def test_follows_material_palette_toggle(page: Page, example_url: str) -> None:
    """On the policy site, the banner takes Material's palette colours and follows its toggle."""
    page.emulate_media(color_scheme="light")
    page.goto(example_url)
    expect(page.locator(LAYER1)).to_be_visible()
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    body_bg = "getComputedStyle(document.body).getPropertyValue('--md-default-bg-color').trim()"
    assert page.evaluate(scheme) == "default"
    light = page.evaluate(BOX_COLOURS)
    assert luminance(light[0]) > 0.9
    page.locator("label[for^='__palette']:visible").first.click()  # Material's own toggle
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark = page.evaluate(BOX_COLOURS)
    assert luminance(dark[0]) < 0.2 and luminance(dark[1]) > 0.6, dark
    # exactly the palette's background
    probe = page.evaluate(f"""() => {{ const d = document.createElement('div');
        d.style.background = {body_bg}; document.body.append(d);
        const c = getComputedStyle(d).backgroundColor; d.remove(); return c; }}""")
    assert dark[0] == probe
    # and the system scheme no longer decides: dark system, light palette -> light banner
    page.emulate_media(color_scheme="dark")
    page.locator("label[for^='__palette']:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert luminance(page.evaluate(BOX_COLOURS)[0]) > 0.9


def test_theme_properties(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """The documented custom properties, set by the product on the host element, restyle the banner."""
    style = (
        "<style>policyforge-consent { --pf-bg: #fffbe6; --pf-fg: #222; --pf-accent: #b00020;"
        " --pf-accent-fg: #fff; --pf-link: #004d40; --pf-line: #b00020; --pf-radius: 0px;"
        " --pf-font: 16px/1.4 Georgia, serif; }</style>"
    )
    page_html = html("", head=style + '<script src="/consent.js"></script>')
    open_site(page, serve_dir, tmp_path, path="/themed.html", pages={"themed.html": page_html})
    expect(page.locator(LAYER1)).to_be_visible()
    got = page.evaluate(
        shadow("""(() => { const b = getComputedStyle(r.querySelector('[role=dialog]'));
        const a = getComputedStyle(r.querySelector('[data-action=accept]'));
        const l = getComputedStyle(r.querySelector('a'));
        return [b.backgroundColor, b.color, b.borderTopColor, b.borderTopLeftRadius, b.fontFamily, b.fontSize,
                a.backgroundColor, a.color, l.color]; })()""")
    )
    assert got == [
        "rgb(255, 251, 230)",
        "rgb(34, 34, 34)",
        "rgb(176, 0, 32)",
        "0px",
        "Georgia, serif",
        "16px",
        "rgb(176, 0, 32)",
        "rgb(255, 255, 255)",
        "rgb(0, 77, 64)",
    ]


def test_direction_and_language(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """An Arabic page gets the Arabic banner (lang and dir from the language); the layout mirrors and cookie
    values keep their order."""
    open_site(page, serve_dir, tmp_path, path="/rtl.html", cfg=multilingual("de", "ar"), pages={"rtl.html": RTL})
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(f"(h => [h.lang, h.dir])(document.querySelector('{HOST}'))") == ["ar", "rtl"]
    box = page.locator(LAYER1).bounding_box()
    close = button(page, "close").bounding_box()
    assert box is not None and close is not None
    assert close["x"] < box["x"] + box["width"] / 2  # the close button mirrors to the left
    button(page, "choose").click()
    page.locator(f"{DIALOG} [data-category=essential] summary").click()
    duration = page.evaluate(TEXT_BOX, ["[data-cookie=pf_consent] dd:last-child", "180"])
    days = page.evaluate(TEXT_BOX, ["[data-cookie=pf_consent] dd:last-child", "days"])
    assert duration["left"] < days["left"], "duration scrambled on an RTL page"
    name_start = page.evaluate(TEXT_BOX, ["[data-cookie=pf_consent] dd", "pf_"])
    name_end = page.evaluate(TEXT_BOX, ["[data-cookie=pf_consent] dd", "consent"])
    assert name_start["left"] < name_end["left"], "cookie name scrambled on an RTL page"
    switch = page.get_by_role("switch", name=CATEGORY_TEXTS["ar"][1][0]).bounding_box()
    title = page.locator(f"{DIALOG} [data-category=analytics] .pf-cat-title").bounding_box()
    assert switch is not None and title is not None and switch["x"] > title["x"]  # switch on the right


def test_lang_and_dir_from_the_script_tag(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    head = '<script src="/consent.js" data-lang="en" data-dir="ltr"></script>'
    page_html = html("", head=head).replace('<html lang="en">', '<html lang="ar" dir="rtl">')
    open_site(page, serve_dir, tmp_path, path="/en.html", pages={"en.html": page_html})
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(f"(h => [h.lang, h.dir])(document.querySelector('{HOST}'))") == ["en", "ltr"]
    assert page.evaluate(shadow("getComputedStyle(r.querySelector('[role=dialog]')).direction")) == "ltr"


def test_gated_frame_placeholder(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path, path="/frame-page.html", pages={"frame-page.html": html(FRAME)})
    expect(page.locator(LAYER1)).to_be_visible()
    frame = page.locator("iframe[data-consent]")
    assert frame.get_attribute("src") is None
    group = page.get_by_role("group", name="Preference Cookies")
    expect(group).to_be_visible()
    # over the frame's box, out of the flow: nothing on the page moved
    frame_box, group_box = frame.bounding_box(), group.bounding_box()
    assert frame_box is not None and group_box is not None
    assert abs(group_box["y"] - frame_box["y"]) < 1 and frame_box["x"] <= group_box["x"] < frame_box["x"] + 20
    assert page.evaluate("window.__cls") == 0
    expect(group).to_contain_text("Preference Cookies: " + TEXTS["frame"])
    group.get_by_role("button", name=f"{TEXTS['allow']} Preference Cookies").click()
    expect(frame).to_be_visible()
    expect(frame).to_have_attribute("src", "/frame.html")
    expect(page.locator("policyforge-frame")).to_have_count(0)
    assert page.evaluate("window.__cls") == 0
    assert page.evaluate("['analytics', 'preferences'].map(policyforge.consent.has)") == [False, True]
    assert page.evaluate("policyforge.consent.get().c.preferences") is True
    # a frame added later gets a placeholder too, and one already allowed loads at once
    page.evaluate("""() => { const f = document.createElement('iframe'); f.dataset.consent = 'analytics';
        f.dataset.src = '/frame.html'; f.title = 'Chart'; document.querySelector('main').append(f); }""")
    expect(page.get_by_role("group", name="Analytics Cookies")).to_be_visible()


def _axe(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_axe_both_layers(page: Page, serve_dir: Serve, tmp_path: Path, width: int, scheme: str, direction: str) -> None:
    page.set_viewport_size({"width": width, "height": 800 if width > 400 else 640})
    page.emulate_media(color_scheme=scheme)
    pages = {"a.html": RTL if direction == "rtl" else html(FRAME)}
    open_site(page, serve_dir, tmp_path, path="/a.html", cfg=multilingual("ar"), pages=pages)
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate(f"document.querySelector('{HOST}').dir") == direction
    assert _axe(page) == []
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    for summary in page.locator(f"{DIALOG} summary").all():
        summary.click()
    assert _axe(page) == []

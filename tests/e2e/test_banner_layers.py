"""Consent banner in Chromium: first and second layer, focus, keyboard, layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    HOST,
    LAYER1,
    LAYER2,
    TEXTS,
    button,
    cookie,
    open_site,
    record,
    shadow,
    wait_for_true,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]

FOCUS_IN_BANNER = """() => {
  const host = document.querySelector("policyforge-consent");
  const inner = host && host.shadowRoot.activeElement;
  return document.activeElement === host && !!inner && !!inner.closest("[role=dialog]");
}"""


def test_first_layer_semantics(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    _, errors = open_site(page, serve_dir, tmp_path)
    dialog = page.locator(LAYER1)
    expect(dialog).to_be_visible()
    expect(page.locator(HOST)).to_have_count(1)
    assert page.evaluate("document.querySelector('policyforge-consent').parentElement === document.body")
    expect(page.get_by_role("dialog", name=TEXTS["title"])).to_be_visible()
    labelled = dialog.get_attribute("aria-labelledby")
    described = dialog.get_attribute("aria-describedby")
    expect(dialog.locator(f"#{labelled}")).to_have_text(TEXTS["title"])
    expect(dialog.locator(f"#{described}")).to_contain_text(TEXTS["text"])
    link = dialog.get_by_role("link", name=TEXTS["policyLink"])
    expect(link).to_have_attribute("href", CONFIG["policyUrl"])
    for action, text in (("accept", "accept"), ("reject", "reject"), ("choose", "customize")):
        expect(button(page, action)).to_have_text(TEXTS[text])
    expect(page.get_by_role("button", name=TEXTS["close"])).to_be_visible()
    wait_for_true(page, FOCUS_IN_BANNER)  # focus moves into the dialog after its first frame
    expect(dialog.locator("input")).to_have_count(0)
    assert record(page) is None
    assert errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_three_buttons_identical(page: Page, serve_dir: Serve, tmp_path: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    info = page.evaluate(
        """() => [...document.querySelector("policyforge-consent").shadowRoot
                  .querySelectorAll("[data-action=accept],[data-action=reject],[data-action=choose]")]
          .map(b => { const s = getComputedStyle(b), r = b.getBoundingClientRect();
            return {cls: b.className, w: Math.round(r.width), h: Math.round(r.height),
                    style: [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth,
                            s.borderTopColor, s.paddingTop, s.paddingLeft, s.borderRadius].join("|")}; })"""
    )
    assert len(info) == 3
    assert len({(b["cls"], b["w"], b["h"], b["style"]) for b in info}) == 1, info
    assert info[0]["h"] >= 44


def test_close_stores_nothing_and_banner_returns(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "close").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert cookie(page, CONFIG["cookie"]) is None
    assert record(page) is None
    page.reload()
    expect(page.locator(LAYER1)).to_be_visible()


def test_tab_leaves_the_non_modal_dialog_and_outline_visible(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """A non-modal dialog (WAI-ARIA): Tab walks its controls, then goes on to the page; nothing traps it."""
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    seen = []
    while page.evaluate(FOCUS_IN_BANNER) or not seen:
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_IN_BANNER):
            seen.append(
                page.evaluate("document.querySelector('policyforge-consent').shadowRoot.activeElement.outerHTML")
            )
        assert len(seen) < 8
    assert len(set(seen)) == len(seen) == 5  # close, policy link, three buttons, each once
    for _ in range(3):  # the browser's own controls, then the page
        if page.evaluate("!!document.activeElement.closest('main')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-policyforge-settings]')")
    button(page, "reject").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        shadow(
            "(a => [a.dataset.action, getComputedStyle(a).outlineStyle, getComputedStyle(a).outlineWidth])"
            "(r.activeElement)"
        )
    )
    assert outline == ["reject", "solid", "3px"]


@pytest.mark.parametrize("layer", [1, 2])
def test_fits_390px_without_horizontal_scroll(page: Page, serve_dir: Serve, tmp_path: Path, layer: int) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_site(page, serve_dir, tmp_path)
    if layer == 2:
        button(page, "choose").click()
    box = page.locator(LAYER2 if layer == 2 else LAYER1)
    expect(box).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rect = box.bounding_box()
    assert rect is not None
    assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 390
    assert rect["y"] >= 0 and rect["y"] + rect["height"] <= 844
    assert page.evaluate(shadow("(b => b.scrollWidth <= b.clientWidth)(r.querySelector('[role=dialog]'))")), (
        "banner content overflows horizontally"
    )
    assert page.evaluate(f"getComputedStyle(document.querySelector('{HOST}')).position") == "fixed"


def test_no_layout_shift(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    with_banner = page.locator("h1").bounding_box()
    page.evaluate(f"document.querySelector('{HOST}').style.display = 'none'")
    assert page.locator("h1").bounding_box() == with_banner  # the banner takes no space in the flow
    page.evaluate(f"document.querySelector('{HOST}').style.display = ''")
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("window.__cls") == 0
    assert page.evaluate("PerformanceObserver.supportedEntryTypes.includes('layout-shift')")


def test_second_layer_matches_config(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "choose").click()
    dialog = page.locator(LAYER2)
    expect(dialog).to_be_visible()
    expect(page.get_by_role("dialog", name=TEXTS["settingsTitle"])).to_be_visible()
    assert page.evaluate(FOCUS_IN_BANNER)
    cats = page.evaluate(
        """() => [...document.querySelector("policyforge-consent").shadowRoot
                  .querySelectorAll("[data-category]")].map(c => ({
                      id: c.dataset.category, title: c.querySelector(".pf-cat-title").textContent,
                      description: c.querySelector(".pf-cat-desc").textContent,
                      required: c.querySelector("input").disabled,
                      cookies: [...c.querySelectorAll("[data-cookie]")].map(r => r.dataset.cookie),
                      checked: c.querySelector("input").checked,
                      disabled: c.querySelector("input").disabled}))"""
    )
    expected = [
        {
            "id": c["id"],
            "title": c["title"],
            "description": c["description"],
            "required": c["required"],
            "cookies": [k["name"] for k in c["cookies"]],
            "checked": c["required"],
            "disabled": c["required"],
        }
        for c in CONFIG["categories"]
    ]
    assert cats == expected
    essential = dialog.locator("[data-category=essential]")
    expect(essential).to_contain_text(TEXTS["alwaysOn"])
    expect(dialog.locator("[data-category=analytics]")).not_to_contain_text(TEXTS["alwaysOn"])
    expect(page.get_by_role("switch", name="Analytics Cookies")).not_to_be_checked()
    essential.locator("summary").click()
    labels = essential.locator("[data-cookie=pf_consent] dt").all_text_contents()
    assert labels == [TEXTS[k] for k in ("name", "provider", "purpose", "duration")]
    cells = essential.locator("[data-cookie=pf_consent] dd").all_text_contents()
    assert cells == ["pf_consent", "GPT Image 2", "Stores your cookie choices", "180 days"]
    for action, text in (("save", "save"), ("accept", "accept"), ("reject", "reject")):
        expect(button(page, action)).to_have_text(TEXTS[text])
    expect(dialog.locator("[data-category=preferences] details")).to_have_count(0)


def test_save_choice_from_second_layer(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "choose").click()
    page.get_by_role("switch", name="Analytics Cookies").check()
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    rec = record(page)
    assert rec["c"] == {"essential": True, "analytics": True, "preferences": False}
    assert page.evaluate("['essential','analytics','preferences','nope'].map(policyforge.consent.has)") == [
        True,
        True,
        False,
        False,
    ]


def test_escape_in_second_layer(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(LAYER1)).to_be_visible()  # no choice yet: back to the first layer
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(DIALOG)).to_have_count(0)  # a choice exists: Esc closes


def test_settings_links_use_delegation(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.locator("main [data-policyforge-settings]").click()
    expect(page.locator(LAYER2)).to_be_visible()
    assert "#settings" not in page.url  # default prevented
    expect(page.get_by_role("switch", name="Analytics Cookies")).to_be_checked()  # shows the stored choice
    page.keyboard.press("Escape")
    page.evaluate(
        """() => { const a = document.createElement("a"); a.href = "/elsewhere"; a.id = "late";
                   a.setAttribute("data-policyforge-settings", ""); a.append(document.createElement("span"));
                   a.firstChild.textContent = "Late link"; document.querySelector("main").append(a); }"""
    )
    page.locator("#late span").click()
    expect(page.locator(LAYER2)).to_be_visible()
    assert page.url.endswith("/index.html")


def test_keyboard_only_flow(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()

    def active() -> str:
        return str(
            page.evaluate(
                """() => { const a = document.querySelector("policyforge-consent").shadowRoot.activeElement;
                           return a ? (a.dataset.action || a.dataset.c || a.tagName) : ""; }"""
            )
        )

    def tab_to(target: str) -> None:
        for _ in range(12):
            page.keyboard.press("Tab")
            if active() == target:
                return
        raise AssertionError(f"could not reach {target} with Tab")

    tab_to("choose")
    page.keyboard.press("Enter")
    expect(page.locator(LAYER2)).to_be_visible()
    tab_to("analytics")
    page.keyboard.press("Space")
    expect(page.get_by_role("switch", name="Analytics Cookies")).to_be_checked()
    page.keyboard.press("Escape")  # no choice yet: back to layer 1, nothing stored
    expect(page.locator(LAYER1)).to_be_visible()
    assert record(page) is None
    tab_to("choose")
    page.keyboard.press("Space")
    tab_to("preferences")
    page.keyboard.press("Space")
    tab_to("save")
    page.keyboard.press("Enter")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": True}


def test_banner_never_prints(page: Page, serve_dir: Callable[..., str], tmp_path: Path) -> None:
    """Printed, the page shows the policy only, even when the page's own print CSS says nothing."""
    open_site(page, serve_dir, tmp_path)
    expect(page.locator(LAYER1)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(LAYER1)).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('policyforge-consent')).display") == "none"
    page.emulate_media(media="screen")
    expect(page.locator(LAYER1)).to_be_visible()

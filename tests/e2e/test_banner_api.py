"""Consent banner in Chromium, the API for products (issue 25.3): the write methods (accept categories, accept or
reject all, a whole choice synced from an account, open the settings, hide), the first and change events with what
changed, the layouts (box or bar, corner or centre) and the ``::part`` hooks, Accept and Reject sharing one part."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from policyforge.banner.config import banner_config
from policyforge.source.loader import load_policy
from tests.conftest import ROOT
from tests.e2e import banner_kit as kit
from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    FIXTURES,
    GPC_ON,
    HOST,
    LAYER1,
    LAYER2,
    button,
    open_site,
    record,
    shadow,
    wait_for_true,
)
from tests.e2e.test_banner_regions import page_in, regional
from tests.e2e.test_banner_usable import Serve, example_config

pytestmark = pytest.mark.e2e

# Collects each first and change event and listener call as [how, type, action, added, removed].
LISTEN = """() => { window.__events = [];
  for (const [name, type] of [["policyforge:first", "first"], ["policyforge:change", "change"]]) {
    document.addEventListener(name,
      e => __events.push(["event", type, e.detail.action, e.detail.added, e.detail.removed]));
    policyforge.consent.on(type, s => __events.push(["on", type, s.action, s.added, s.removed]));
  } }"""


def index(attributes: str) -> dict[str, str]:
    """The fixture's test page (gated scripts of each category, a gated frame) as ``page.html``, with ``attributes``
    on its banner script."""
    text = (FIXTURES / "index.html").read_text(encoding="utf-8")
    return {"page.html": text.replace('<script src="/consent.js">', f'<script src="/consent.js" {attributes}>')}


def open_page(page: Page, serve_dir: Serve, tmp_path: Path, attributes: str = 'data-reload="false"') -> list[str]:
    """Open the test page with the banner's ``attributes``, listen to its events; return the console's lines."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    open_site(page, serve_dir, tmp_path, "/page.html", pages=index(attributes))
    expect(page.locator(LAYER1)).to_be_visible()
    page.evaluate(LISTEN)
    return console


def events(page: Page) -> list[list[Any]]:
    return list(page.evaluate("window.__events"))


def told(kind: str, action: str, added: list[str], removed: list[str]) -> list[list[Any]]:
    """What the event and the listener of ``kind`` receive for one decision."""
    return [["event", kind, action, added, removed], ["on", kind, action, added, removed]]


def consent_mode(page: Page) -> Any:
    """The last Consent Mode command the banner sent (it defines gtag feeding dataLayer)."""
    return page.evaluate("Array.from(window.dataLayer.at(-1))")


def test_accept_a_category_from_the_products_settings_page(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """accept(["analytics"]) takes a visitor's click's path (record, cookie, Consent Mode, gating, events) and
    leaves the category it does not name undecided: the notice comes back on the next page. An unknown id is
    ignored, and data-debug logs it."""
    console = open_page(page, serve_dir, tmp_path, "data-debug")
    page.evaluate("policyforge.consent.accept(['analytics', 'nope'])")
    wait_for_true(page, "(window.__gatedOrder || []).includes('inline-2')")
    assert kit.gated(page) == ["essential", "inline-1", "analytics-src", "inline-2"]
    assert page.evaluate("['analytics', 'preferences'].map(policyforge.consent.has)") == [True, False]
    assert record(page)["c"] == {"essential": True, "analytics": True}  # preferences: undecided
    assert kit.cookie(page, CONFIG["cookie"]) is not None
    assert consent_mode(page) == ["consent", "update", {"security_storage": "granted", "analytics_storage": "granted"}]
    assert events(page) == told("first", "set", ["analytics"], []) + told("change", "set", ["analytics"], [])
    assert "policyforge: ignored: nope" in console
    expect(page.locator(DIALOG)).to_have_count(0)
    page.reload()
    expect(page.locator(LAYER1)).to_be_visible()  # preferences is still to be decided
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    page.evaluate(LISTEN)
    page.evaluate("policyforge.consent.accept('nothing-known')")
    page.evaluate("policyforge.consent.accept('preferences')")  # a string is one id
    assert events(page) == told("change", "set", ["preferences"], [])  # not the first choice any more
    assert record(page)["c"] == {"essential": True, "analytics": True, "preferences": True}
    page.reload()
    page.evaluate("new Promise(done => policyforge.consent.ready(done))")  # the notice would be open by now
    expect(page.locator(DIALOG)).to_have_count(0)  # everything decided: no notice


SERVICES = Path(__file__).resolve().parents[1] / "fixtures" / "services" / "policy.yaml"
VIDEO = '<iframe id="yt" data-consent="marketing:youtube" data-src="/frame.html" title="Video" style="height:200px">'


def test_accept_a_service(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """accept("marketing:youtube"): that service alone (its frame loads), the category and its other service not;
    a service the banner does not know is ignored."""
    cfg = banner_config(load_policy(SERVICES), policy_url="/policy/", changes_url="")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    videos = kit.html(VIDEO + "</iframe>", '<script src="/consent.js" data-debug></script>')
    open_site(page, serve_dir, tmp_path, "/videos.html", cfg=cfg, pages={"videos.html": videos})
    expect(page.locator(LAYER1)).to_be_visible()
    page.evaluate(LISTEN)
    page.evaluate("policyforge.consent.accept(['marketing:youtube', 'marketing:tiktok'])")
    expect(page.locator("#yt")).to_have_attribute("src", "/frame.html")
    keys = "['marketing', 'marketing:youtube', 'marketing:vimeo'].map(policyforge.consent.has)"
    assert page.evaluate(keys) == [False, True, False]
    assert record(page)["s"] == {"marketing:youtube": True}
    assert events(page) == told("first", "set", ["marketing:youtube"], []) + told(
        "change", "set", ["marketing:youtube"], []
    )
    assert "policyforge: ignored: marketing:tiktok" in console


def test_accept_all_and_reject_all(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    open_page(page, serve_dir, tmp_path)
    page.evaluate("policyforge.consent.acceptAll()")
    both = ["analytics", "preferences"]
    assert events(page) == told("first", "accept", both, []) + told("change", "accept", both, [])
    assert record(page)["c"] == {"essential": True, "analytics": True, "preferences": True}
    expect(page.locator(DIALOG)).to_have_count(0)
    page.evaluate("policyforge.consent.rejectAll()")
    assert events(page)[4:] == told("change", "reject", [], both)  # data-reload="false": no reload
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}
    assert consent_mode(page) == ["consent", "update", {"security_storage": "granted", "analytics_storage": "denied"}]
    page.evaluate("policyforge.consent.accept('all')")
    assert events(page)[6:] == told("change", "accept", both, [])
    assert page.evaluate("['analytics', 'preferences'].map(policyforge.consent.has)") == [True, True]


def test_a_withdrawal_through_the_api_reloads_the_page(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """Without data-reload="false", rejectAll() after a grant reloads the page, as the visitor's Reject does, and
    deletes the declared cookies of what it took back."""
    open_page(page, serve_dir, tmp_path, "")
    page.evaluate("policyforge.consent.acceptAll()")
    wait_for_true(page, "document.cookie.includes('_pf_demo_analytics=1')")
    with page.expect_navigation():
        page.evaluate("policyforge.consent.rejectAll()")
    page.evaluate("new Promise(done => policyforge.consent.ready(done))")
    assert kit.gated(page) == ["essential"]
    assert kit.cookie(page, "_pf_demo_analytics") is None
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}


def test_set_syncs_a_whole_choice_from_the_users_account(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """set({...}): each category it names, the others as they were; a required category cannot be refused; a value
    that is not a boolean is ignored."""
    open_page(page, serve_dir, tmp_path)
    page.evaluate("policyforge.consent.set({analytics: true, preferences: false})")
    assert events(page) == told("first", "set", ["analytics"], []) + told("change", "set", ["analytics"], [])
    assert record(page)["c"] == {"essential": True, "analytics": True, "preferences": False}
    page.evaluate("policyforge.consent.set({preferences: true, essential: false})")
    assert events(page)[4:] == told("change", "set", ["preferences"], [])
    assert record(page)["c"] == {"essential": True, "analytics": True, "preferences": True}
    page.evaluate("policyforge.consent.set({analytics: 'no', preferences: null})")  # nothing valid: nothing recorded
    assert len(events(page)) == 6
    page.evaluate("policyforge.consent.set({analytics: false})")
    assert events(page)[6:] == told("change", "set", [], ["analytics"])
    page.reload()
    page.evaluate("new Promise(done => policyforge.consent.ready(done))")  # the notice would be open by now
    expect(page.locator(DIALOG)).to_have_count(0)  # a whole choice: no notice on the next page
    assert page.evaluate("['essential', 'analytics', 'preferences'].map(policyforge.consent.has)") == [
        True,
        False,
        True,
    ]


QUEUED = kit.html(
    "",
    "<script>window.policyforge = [() => policyforge.consent.set({analytics: true, preferences: false})];</script>"
    '<script src="/consent.js"></script>',
)


def test_a_write_queued_before_the_banner_loads(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """A product syncing the account's choice before the banner has run queues the write with push()."""
    open_site(page, serve_dir, tmp_path, "/queued.html", pages={"queued.html": QUEUED})
    wait_for_true(page, "!!(window.policyforge.consent && policyforge.consent.get())")
    assert record(page)["c"] == {"essential": True, "analytics": True, "preferences": False}
    expect(page.locator(DIALOG)).to_have_count(0)  # the notice that showed at load closed with the choice


def test_show_settings_and_hide(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """showSettings() (and its alias show()) opens the settings layer; hide() closes any layer without deciding:
    nothing is stored, and the notice comes back on the next page."""
    open_page(page, serve_dir, tmp_path)
    page.evaluate("policyforge.consent.hide()")
    expect(page.locator(DIALOG)).to_have_count(0)
    page.evaluate("policyforge.consent.showSettings()")
    expect(page.locator(LAYER2)).to_be_visible()
    page.evaluate("policyforge.consent.hide()")
    expect(page.locator(DIALOG)).to_have_count(0)
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    page.evaluate("policyforge.consent.hide()")
    assert record(page) is None
    assert kit.cookie(page, CONFIG["cookie"]) is None
    assert events(page) == []
    page.reload()
    expect(page.locator(LAYER1)).to_be_visible()


CHANGE_ACCEPT = [("event", "change", "accept"), ("on", "change", "accept")]


def test_first_fires_once_on_a_browser(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """The first choice on this browser, whichever way it is made (here the visitor's Accept); never again on later
    choices, on this page or the next."""
    open_page(page, serve_dir, tmp_path)
    button(page, "accept").click()
    page.evaluate("policyforge.consent.set({preferences: false})")
    page.evaluate("policyforge.consent.showSettings()")
    button(page, "reject").click()
    kinds = [(how, kind, action) for how, kind, action, *_ in events(page)]
    assert kinds[:4] == [("event", "first", "accept"), ("on", "first", "accept"), *CHANGE_ACCEPT]
    assert [kind for _, kind, *_ in events(page)].count("first") == 2  # the event and the listener, once
    page.reload()
    page.evaluate(LISTEN)
    page.evaluate("policyforge.consent.acceptAll()")
    assert [kind for _, kind, *_ in events(page)] == ["change", "change"]


def placed(page: Page, selector: str = LAYER1) -> dict[str, float]:
    """The distances of a layer from the viewport's four edges, and its width."""
    rect = page.locator(selector).bounding_box()
    assert rect is not None
    size = page.viewport_size
    assert size is not None
    return {
        "left": rect["x"],
        "right": size["width"] - rect["x"] - rect["width"],
        "top": rect["y"],
        "bottom": size["height"] - rect["y"] - rect["height"],
        "width": rect["width"],
    }


def near(value: float, expected: float) -> bool:
    return abs(value - expected) <= 1


# attributes -> (where the layer's edges are; "centre" is as far from one edge as from the other)
LAYOUTS: dict[str, dict[str, str]] = {
    "": {"bottom": "8", "x": "centre"},
    'data-position="middle"': {"bottom": "8", "x": "centre"},  # unknown: the default
    'data-position="top"': {"top": "8", "x": "centre"},
    'data-position="bottom-left"': {"bottom": "8", "left": "8"},
    'data-position="bottom-right"': {"bottom": "8", "right": "8"},
    'data-position="top-left"': {"top": "8", "left": "8"},
    'data-position="top-right"': {"top": "8", "right": "8"},
    'data-position="centre"': {"y": "centre", "x": "centre"},
    'data-position="center"': {"y": "centre", "x": "centre"},
    'data-layout="bar"': {"bottom": "0", "left": "0", "right": "0"},
    'data-layout="bar" data-position="top"': {"top": "0", "left": "0", "right": "0"},
    'data-layout="bar" data-position="top-right"': {"top": "0", "left": "0", "right": "0"},
    'data-layout="bar" data-position="centre"': {"bottom": "0", "left": "0", "right": "0"},
    'data-position="bottom-left" data-dir="rtl"': {"bottom": "8", "left": "8"},  # physical corners, right to left
}


def assert_placed(page: Page, attributes: str, selector: str = LAYER1) -> None:
    """The layer is where ``LAYOUTS[attributes]`` says, and the banner's element names its layout."""
    where = LAYOUTS[attributes]
    edges = placed(page, selector)
    for edge, expected in where.items():
        if expected != "centre":
            assert near(edges[edge], float(expected)), (selector, edge, edges)
    if where.get("x") == "centre":
        assert near(edges["left"], edges["right"]) and edges["width"] <= 680, edges
    if where.get("y") == "centre":
        assert near(edges["top"], edges["bottom"]), edges
    if ("left" in where) != ("right" in where):
        assert edges["width"] <= 400, edges  # a corner box
    given = dict(re.findall(r'data-(layout|position)="([^"]*)"', attributes))
    host = page.locator(HOST)
    expect(host).to_have_attribute("data-layout", given.get("layout", "box"))
    expect(host).to_have_attribute("data-position", given.get("position", "bottom"))


@pytest.mark.parametrize("attributes", list(LAYOUTS))
def test_layouts_place_the_layers_where_asked(page: Page, serve_dir: Serve, tmp_path: Path, attributes: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, serve_dir, tmp_path, attributes)
    assert_placed(page, attributes)
    # beside the box the page gets the clicks, whatever the layout (the banner's element lets them through)
    assert page.evaluate(f"!document.elementFromPoint(2, 400).closest('{HOST}')")
    button(page, "choose").click()
    assert_placed(page, attributes, LAYER2)
    if "data-layout" in attributes:
        assert near(placed(page, LAYER2)["width"], 1280)


@pytest.mark.parametrize("attributes", ["", 'data-layout="bar"', 'data-position="top-right"', 'data-position="centre"'])
def test_every_layout_keeps_the_first_layer_within_40_percent_of_a_phone(
    page: Page, serve_dir: Serve, tmp_path: Path, attributes: str
) -> None:
    """The example policy's own texts on a 320x568 phone, in each kind of layout, placed as asked."""
    page.set_viewport_size({"width": 320, "height": 568})
    phone = kit.html("", f'<script src="/consent.js" {attributes}></script>')
    open_site(page, serve_dir, tmp_path, "/phone.html", cfg=example_config(), pages={"phone.html": phone})
    assert_placed(page, attributes)
    edges = placed(page)
    assert 568 - edges["top"] - edges["bottom"] <= 0.4 * 568, edges


def test_centred_modal_layout(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """A centred box in modal mode: still aria-modal with the page inert, and the page usable after the choice."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, serve_dir, tmp_path, 'data-position="centre" data-modal')
    expect(page.locator(LAYER1)).to_have_attribute("aria-modal", "true")
    assert page.evaluate("document.querySelector('main').inert")
    edges = placed(page)
    assert near(edges["top"], edges["bottom"]), edges
    button(page, "reject").click()
    assert not page.evaluate("document.querySelector('main').inert")


NAMED = "[...r.querySelectorAll('[part]')].flatMap(e => e.getAttribute('part').split(' '))"
PARTS = "[...r.querySelectorAll('[data-action]')].map(b => [b.dataset.action, b.getAttribute('part')])"
STYLES = (
    "['accept', 'reject', 'choose', 'save'].map(a => r.querySelector(`[data-action=${a}]`)).filter(Boolean)"
    ".map(b => (s => [s.backgroundColor, s.color, s.borderRadius, s.fontSize])(getComputedStyle(b)))"
)
THEME = (
    "<style>policyforge-consent::part(choice){background:rgb(1, 2, 3);color:rgb(250, 240, 230);"
    "border-radius:0px;font-size:20px}</style>"
)


def documented_parts() -> set[str]:
    """The part names of docs/embedding.md's table ("Theming with ::part")."""
    docs = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    table = docs.split("### Theming with `::part`")[1].split("###")[0]
    return {name for row in re.findall(r"^\| (.*?) \|", table, re.M) for name in re.findall(r"`([\w-]+)`", row)}


def test_accept_and_reject_share_one_part(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    """On both layers Accept and Reject carry the very same part names, so a page's ::part(choice) rule restyles
    them identically and no theme can make one louder than the other; the other controls have parts of their own,
    exactly those docs/embedding.md lists (the GPC note and a frame's placeholder shown too)."""
    page.add_init_script(GPC_ON)
    pages = index("")
    pages["page.html"] = pages["page.html"].replace("</head>", THEME + "</head>")
    cfg = kit.config()
    cfg["categories"][2]["services"] = [{"id": "maps", "title": "Maps", "description": "A map", "cookies": []}]
    open_site(page, serve_dir, tmp_path, "/page.html", cfg=cfg, pages=pages)
    expect(page.locator(LAYER1)).to_be_visible()
    named: set[str] = set()
    for layer in (1, 2):
        if layer == 2:
            button(page, "choose").click()
            expect(page.locator(LAYER2)).to_be_visible()
        parts = dict(page.evaluate(shadow(PARTS)))
        assert parts["accept"] == parts["reject"] == "button choice", parts
        assert parts["close"] == "close"
        assert parts.get("choose", "button settings-button") == "button settings-button"
        assert parts.get("save", "button save") == "button save"
        styles = page.evaluate(shadow(STYLES))
        assert styles[0] == styles[1] == ["rgb(1, 2, 3)", "rgb(250, 240, 230)", "0px", "20px"], styles
        assert styles[2][0] != "rgb(1, 2, 3)", "the third button keeps its own style"
        named |= set(page.evaluate(shadow(NAMED)))
    frame = NAMED.replace("r.", "document.querySelector('policyforge-frame').shadowRoot.")
    named |= set(page.evaluate(frame))
    assert named | {"privacy-choices"} == documented_parts()  # (that one: test_the_privacy_choices_button_...)


@pytest.mark.parametrize(
    ("attributes", "where"),
    [
        ("", {"bottom": 8, "left": 8}),
        ('data-position="top"', {"top": 8, "left": 8}),
        ('data-position="bottom-right"', {"bottom": 8, "right": 8}),
        ('data-position="top-right"', {"top": 8, "right": 8}),
        ('data-position="centre"', {"bottom": 8, "left": 8}),
    ],
)
def test_the_privacy_choices_button_follows_the_layout(
    page: Page, serve_dir: Serve, tmp_path: Path, attributes: str, where: dict[str, float]
) -> None:
    """In an opt-out region no layer opens, and the "Your Privacy Choices" button sits on the layout's side, with
    its own part."""
    page.set_viewport_size({"width": 1280, "height": 800})
    text = page_in("US-CA", settings_link=False).replace('data-region="US-CA"', f'data-region="US-CA" {attributes}')
    open_site(page, serve_dir, tmp_path, "/r.html", cfg=regional(), pages={"r.html": text})
    pill = page.locator(f"{HOST} [part=privacy-choices]")
    expect(pill).to_be_visible()
    edges = placed(page, f"{HOST} [part=privacy-choices]")
    for edge, expected in where.items():
        assert near(edges[edge], expected), (edge, edges)

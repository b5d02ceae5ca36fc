"""The banner in two stages (issue 25.7): the notice works from the first file alone, the settings layer and the
other languages come in one more request, with integrity, through the Trusted Types policy; a second stage that
cannot load leaves Accept and Reject working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from policyforge.banner import assemble as widget
from policyforge.banner.languages import builtin_texts
from policyforge.banner.stages import banner_files
from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    HOST,
    LAYER1,
    LAYER2,
    OBSERVERS,
    TEXTS,
    button,
    html,
    make_site,
    multilingual,
    record,
)

Serve = Callable[..., str]
DE = builtin_texts("de")
SECOND = "consent.settings."
# Trusted Types enforced for every script URL, only the banner's policy allowed, scripts from the site only.
STRICT = {
    "Content-Security-Policy": "default-src 'self'; require-trusted-types-for 'script'; trusted-types policyforge"
}


def visit(page: Page, base: str, path: str = "/index.html") -> list[str]:
    """Open ``path`` and return the list that collects the second stage's requests (and page errors in it)."""
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if SECOND in request.url:
            seen.append(request.url)

    page.on("request", on_request)
    page.on("pageerror", lambda exc: seen.append(f"error: {exc}"))
    page.add_init_script(OBSERVERS)
    page.goto(base + path)
    return seen


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_the_notice_decides_without_the_second_stage(page: Page, serve_dir: Serve, tmp_path: Path, action: str) -> None:
    seen = visit(page, serve_dir(make_site(tmp_path)))
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, action).click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is (action == "accept")
    page.reload()
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is (action == "accept")
    assert seen == []


def test_the_settings_come_in_one_more_request_with_integrity(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    files = banner_files(CONFIG)
    seen = visit(page, serve_dir(make_site(tmp_path)))
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    expect(page.get_by_role("switch", name="Analytics Cookies")).not_to_be_checked()
    script = page.locator(f"head script[src$='{files.settings_name}']")
    assert script.get_attribute("integrity") == widget.sri(files.settings)
    assert script.get_attribute("crossorigin") == "anonymous"
    # closed and opened again, from the page API: no further request
    button(page, "close").click()
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    assert len(seen) == 1 and seen[0].endswith("/" + files.settings_name)


@pytest.mark.parametrize("broken", ["missing", "tampered"])
def test_without_the_second_stage_accept_and_reject_still_work(
    page: Page, serve_dir: Serve, tmp_path: Path, broken: str
) -> None:
    root = make_site(tmp_path)
    second = next(root.glob(SECOND + "*.js"))
    if broken == "missing":
        second.unlink()
    else:  # one byte changed: the integrity check refuses it
        second.write_text(second.read_text(encoding="ascii").replace("cookie", "cookiE", 1), encoding="ascii")
    seen = visit(page, serve_dir(root))
    button(page, "choose").click()
    # the notice stays, without a Choose button it cannot honour
    expect(button(page, "choose")).to_have_count(0)
    expect(page.locator(LAYER1)).to_be_visible()
    expect(page.locator(LAYER2)).to_have_count(0)
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"] == {"essential": True, "analytics": False, "preferences": False}
    page.reload()
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is False
    assert not [line for line in seen if line.startswith("error:")]


def test_the_second_stage_loads_under_trusted_types(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    root = make_site(tmp_path, pages={"plain.html": html("<p>Text</p>")})  # (no inline gated script to refuse)
    seen = visit(page, serve_dir(root, STRICT), "/plain.html")
    assert page.evaluate("window.trustedTypes.getAttributeType('script', 'src')") == "TrustedScriptURL"
    button(page, "choose").click()
    expect(page.locator(LAYER2)).to_be_visible()
    page.get_by_role("switch", name="Analytics Cookies").click()
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is True
    assert page.evaluate("window.__cspViolations") == []
    assert len(seen) == 1


def test_the_first_stage_carries_one_language(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    cfg = multilingual("de")
    files = banner_files(cfg)
    assert DE["accept"] not in files.first["en"] and TEXTS["accept"] not in files.first["de"]
    assert DE["accept"] in files.settings
    pages = {
        "en.html": html("<p>Text</p>"),
        "de.html": html("<p>Text</p>").replace('lang="en"', 'lang="de"'),
        "own.html": html("<p>Text</p>", f'<script src="/{files.names()["de"]}"></script>').replace(
            'lang="en"', 'lang="de"'
        ),
    }
    base = serve_dir(make_site(tmp_path, cfg, pages))
    # German from the English file: the notice waits for the second stage, which carries German
    seen = visit(page, base, "/de.html")
    expect(button(page, "accept")).to_have_text(DE["accept"])
    expect(page.locator(HOST)).to_have_attribute("lang", "de")
    assert len(seen) == 1
    # the English page and the German file need no second request
    for path, accept in (("/en.html", TEXTS["accept"]), ("/own.html", DE["accept"])):
        seen.clear()
        page.goto(base + path)
        expect(button(page, "accept")).to_have_text(accept)
        assert seen == [], path

"""Regional rules in Chromium: the product names the visitor's region on the script tag (``data-region``), the
policy's ``consent.regions`` says opt-in or opt-out there (docs/embedding.md "Regional rules")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from policyforge.banner.failsafe import embed_snippet
from policyforge.banner.regions import consent_mode_defaults
from policyforge.banner.stages import banner_files
from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    FIXTURES,
    GPC_ON,
    LAYER1,
    LAYER2,
    config,
    gated,
    nothing_optional_ran,
    open_site,
    record,
    shadow,
)

Serve = Callable[..., str]

CHOICES = "Your Privacy Choices"
READY = "new Promise(done => policyforge.consent.ready(() => done(true)))"
# All gated scripts of the fixture page, in order: what runs when every category is on.
ALL = ["essential", "inline-1", "analytics-src", "inline-2", "preferences"]


def regional(**regions: int) -> dict[str, Any]:
    """The fixture config with ``regions`` (1 opt-out, 0 opt-in) and its Consent Mode defaults, as
    ``banner_config`` gives them for a policy declaring them."""
    cfg = config(regions=regions or {"US-CA": 1})
    cfg["texts"] = {**cfg["texts"], "privacyChoices": CHOICES}  # (the receipts texts before it: empty)
    cfg["gcmRegions"] = consent_mode_defaults(cfg)[1:]
    return cfg


def page_in(region: str | None, *, settings_link: bool = True) -> str:
    """The fixture page with the banner told the visitor's region (no attribute for None), with or without the
    product's own settings link."""
    text = (FIXTURES / "index.html").read_text(encoding="utf-8")
    attribute = "" if region is None else f' data-region="{region}"'
    text = text.replace('<script src="/consent.js">', f'<script src="/consent.js"{attribute}>')
    if not settings_link:
        text = text.replace('<p><a href="#settings" data-policyforge-settings>Cookie settings</a></p>', "")
    return text


def visit(page: Page, serve_dir: Serve, tmp_path: Path, region: str | None, *, settings_link: bool = True) -> str:
    """Open the fixture page for a visitor in ``region``; wait until the banner has run the page's gated content."""
    base, errors = open_site(
        page,
        serve_dir,
        tmp_path,
        path="/r.html",
        cfg=regional(),
        pages={"r.html": page_in(region, settings_link=settings_link)},
    )
    page.wait_for_function(READY)
    assert errors == []
    return base


def another(page: Page, tmp_path: Path, name: str, text: str, cfg: dict[str, Any] | None = None) -> None:
    """Add the page ``name`` to the served site (and replace its banner with ``cfg``'s), open it, wait for the
    banner's ready event."""
    site = tmp_path / "site"
    if cfg is not None:  # under another name: the browser keeps the first one
        files = banner_files(cfg)
        (site / f"{name}.js").write_text(files.script, encoding="ascii")
        (site / files.settings_name).write_text(files.settings, encoding="ascii")  # its second stage, next to it
        text = text.replace('src="/consent.js"', f'src="/{name}.js"')
    (site / name).write_text(text, encoding="utf-8")
    page.goto(page.url.rsplit("/", 1)[0] + "/" + name)
    page.wait_for_function(READY)


def test_eu_is_opt_in_and_us_ca_opt_out_on_the_same_banner(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    visit(page, serve_dir, tmp_path, "DE")
    expect(page.locator(LAYER1)).to_be_visible()
    nothing_optional_ran(page)
    another(page, tmp_path, "ca.html", page_in("US-CA"))
    assert gated(page) == ALL
    assert page.locator(DIALOG).count() == 0


def test_opt_out_region_runs_at_load_and_the_privacy_choices_link_opts_out(
    page: Page, serve_dir: Serve, tmp_path: Path
) -> None:
    visit(page, serve_dir, tmp_path, "US-CA", settings_link=False)
    assert gated(page) == ALL  # on until the visitor opts out
    assert page.evaluate("policyforge.consent.has('analytics')") is True
    assert page.locator(DIALOG).count() == 0  # nothing blocks the page
    link = page.get_by_role("button", name=CHOICES)
    expect(link).to_be_visible()
    assert page.evaluate(shadow("r.querySelector('.pc svg path') !== null"))
    assert record(page) is None  # nothing stored before a choice
    link.click()
    expect(page.locator(LAYER2)).to_be_visible()
    expect(page.locator(LAYER2).locator("input[data-c='analytics']")).to_be_checked()
    page.locator(LAYER2).locator("input[data-c='analytics']").uncheck()
    page.locator(LAYER2).locator("input[data-c='preferences']").uncheck()
    with page.expect_navigation():  # a withdrawal reloads the page: scripts that run cannot be stopped
        page.locator(f"{DIALOG} [data-action='save']").click()
    page.wait_for_function(READY)
    nothing_optional_ran(page)
    rec = record(page)
    assert rec["c"] == {"essential": True, "analytics": False, "preferences": False}
    assert rec["r"] == CONFIG["revision"] and rec["auto"] is False
    expect(page.get_by_role("button", name=CHOICES)).to_be_visible()  # the link stays


def test_opt_out_region_uses_the_products_own_settings_link(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    visit(page, serve_dir, tmp_path, "us-ca")  # the page has [data-policyforge-settings]; any case
    assert gated(page) == ALL
    assert page.get_by_role("button", name=CHOICES).count() == 0
    page.get_by_role("link", name="Cookie settings").click()
    expect(page.locator(LAYER2)).to_be_visible()
    page.keyboard.press("Escape")  # nothing to go back to: the settings close
    assert page.locator(DIALOG).count() == 0


def test_gpc_is_an_opt_out_in_an_opt_out_region(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    page.add_init_script(GPC_ON)
    visit(page, serve_dir, tmp_path, "US-CA", settings_link=False)
    nothing_optional_ran(page)
    expect(page.locator(f"{LAYER1} .gpc")).to_have_text(CONFIG["texts"]["gpc"])
    assert record(page)["auto"] is True
    calls = page.evaluate("window.dataLayer.map(a => Array.from(a))")
    # the region's default grants, the signal's refusal follows at once
    assert calls[1][2]["region"] == ["US-CA"] and calls[1][2]["analytics_storage"] == "granted"
    assert calls[-1] == ["consent", "update", {"security_storage": "granted", "analytics_storage": "denied"}]
    page.locator(f"{DIALOG} [data-action='close']").click()
    expect(page.get_by_role("button", name=CHOICES)).to_be_visible()  # the opt-out link, once the notice is read


@pytest.mark.parametrize("region", [None, "", "XX", "USA-CA", "US-CA-1", "<b>US</b>", "US_CA"])
def test_a_missing_unknown_or_garbage_region_is_opt_in(
    page: Page, serve_dir: Serve, tmp_path: Path, region: str | None
) -> None:
    visit(page, serve_dir, tmp_path, region, settings_link=False)
    expect(page.locator(LAYER1)).to_be_visible()
    nothing_optional_ran(page)
    assert page.get_by_role("button", name=CHOICES).count() == 0
    # the same banner is opt-out where the policy says so: a subdivision of an opt-out country
    another(page, tmp_path, "ny.html", page_in("US-NY"), cfg=regional(US=1))
    assert gated(page) == ALL


def test_consent_mode_defaults_per_region(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    visit(page, serve_dir, tmp_path, "FR")
    calls = page.evaluate("window.dataLayer.map(a => Array.from(a))")
    expected = [["consent", "default", command] for command in consent_mode_defaults(regional())]
    assert calls == expected
    assert expected[1][2] == {
        "security_storage": "granted",
        "analytics_storage": "granted",
        "region": ["US-CA"],
        "wait_for_update": 500,
    }
    assert expected[0][2]["analytics_storage"] == "denied" and "region" not in expected[0][2]


def test_the_failure_safe_snippet_sends_the_region_defaults_once(page: Page, serve_dir: Serve, tmp_path: Path) -> None:
    cfg = regional()
    head = embed_snippet("/consent.js", banner_files(cfg).script, cfg).head.replace(
        ' async src="/consent.js"', ' async src="/consent.js" data-region="US-CA"'
    )
    text = page_in(None).replace('<script src="/consent.js"></script>', head)
    open_site(page, serve_dir, tmp_path, path="/r.html", cfg=cfg, pages={"r.html": text})
    page.wait_for_function(READY)
    assert gated(page) == ALL  # the async banner read its region
    calls = page.evaluate("window.dataLayer.map(a => Array.from(a))")
    defaults = [["consent", "default", command] for command in consent_mode_defaults(cfg)]
    assert calls[: len(defaults)] == defaults  # from the stub, before anything else
    assert [c[1] for c in calls[len(defaults) :]] == ["update"]  # the banner sends no second default

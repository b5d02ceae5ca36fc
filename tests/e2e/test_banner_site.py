"""The banner on the published site and demo agrees with the policy, in a real browser.

This is the test the product exists for: the categories read from the banner's DOM equal
``consent.categories`` of the policy and the categories listed in the rendered cookie section.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

from policyforge.cli.main import main
from policyforge.history.releases import load_history
from policyforge.mkdocs_plugin import engine
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy
from policyforge.source.options import read_project
from tests.conftest import ROOT, copy_project, start_server
from tests.e2e.banner_kit import LAYER1, LAYER2, OBSERVERS, wait_for_true

VERSIONS = sorted((ROOT / "policy_source" / "versions").glob("????-??-??.yaml"))

READ_BANNER = """() => [...document.querySelector('policyforge-consent').shadowRoot
  .querySelectorAll('[data-category]')].map(e => ({id: e.dataset.category, required: e.querySelector('input').disabled,
  title: e.querySelector('.pf-cat-title').textContent.trim(),
  description: e.querySelector('.pf-cat-desc').textContent.trim(),
  cookies: [...e.querySelectorAll('[data-cookie]')].map(r => r.dataset.cookie)}))"""
READ_POLICY = """() => [...document.querySelectorAll('li[data-category]')].map(e => ({id: e.dataset.category,
  required: e.dataset.required === 'true', title: e.querySelector('.pf-cat-title').textContent.trim().replace(/:$/, ''),
  description: e.querySelector('.pf-cat-desc').textContent.trim(),
  cookies: [...e.querySelectorAll('tr[data-cookie]')].map(r => r.dataset.cookie)}))"""


def expected(policy: Policy) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "required": c.required,
            "title": c.title,
            "description": c.description,
            "cookies": [k.name for k in c.cookies],
        }
        for c in policy.consent.categories
    ]


def banner_categories(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function("window.policyforge && window.policyforge.consent")
    page.evaluate("window.policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    result: list[dict[str, Any]] = page.evaluate(READ_BANNER)
    return result


def check_agreement(page: Page, base: str, policy: Policy) -> None:
    page.goto(base + "/")
    in_policy = page.evaluate(READ_POLICY)
    in_banner = banner_categories(page)
    page.goto(base + "/demo/")
    in_demo = banner_categories(page)
    assert in_banner == in_policy == in_demo == expected(policy)


def test_banner_and_cookie_section_match_current_policy(page: Page, example_url: str) -> None:
    current = load_policy(VERSIONS[-1] if VERSIONS else ROOT / "policy_source" / "policy.yaml")
    check_agreement(page, example_url.rstrip("/"), current)


@pytest.fixture
def version_site(tmp_path: Path) -> Iterator[Callable[[Path], str]]:
    """Build a site whose current policy is one given version file; return its base URL."""
    servers = []

    def build(version: Path) -> str:
        project = copy_project(tmp_path / version.stem).parent
        shutil.rmtree(project / "policy_source" / "versions", ignore_errors=True)
        (project / "policy_source" / "versions.lock").unlink(missing_ok=True)
        shutil.rmtree(project / "policy_source" / "translations", ignore_errors=True)  # made for today's text
        shutil.copy2(version, project / "policy_source" / "policy.yaml")
        # the translations are of today's draft: an older version as the draft is published in its language only
        shutil.rmtree(project / "policy_source" / "translations", ignore_errors=True)
        site = engine.build(project / "mkdocs.yml")
        srv, url = start_server(site)
        servers.append(srv)
        return url

    yield build
    for srv in servers:
        srv.shutdown()


@pytest.mark.parametrize("version", VERSIONS, ids=[v.stem for v in VERSIONS])
def test_banner_matches_every_released_version(page: Page, version: Path, version_site: Callable[[Path], str]) -> None:
    check_agreement(page, version_site(version), load_policy(version))


class LiveSite:
    """One project released step by step, each build deployed to the same origin."""

    def __init__(self, tmp: Path) -> None:
        self.project = copy_project(tmp / "project", ROOT / "tests" / "fixtures" / "valid-tiny").parent
        self.root = tmp / "live"
        self.root.mkdir()
        # no-store: each deploy must be seen at once (a real deploy gives consent.js a 5-minute cache)
        self.srv, self.url = start_server(self.root, {"Cache-Control": "no-store"})

    def release(self, effective: str, edit: Callable[[dict[str, Any]], None]) -> None:
        source = self.project / "policy_source" / "policy.yaml"
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        edit(data)
        source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        config = str(self.project / "mkdocs.yml")
        result = CliRunner().invoke(
            main, ["release", "-f", config, "--effective", effective, "--backdate", "--summary", effective]
        )
        assert result.exit_code == 0, result.output
        site = engine.build(self.project / "mkdocs.yml")
        for child in self.root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(site, self.root, dirs_exist_ok=True)


def page_revision(live: LiveSite) -> str:
    """The consent revision of the banner the live site serves now."""
    return str(load_history(read_project(live.project / "mkdocs.yml")).releases[-1].consent_revision)


def test_reprompt_only_on_consent_relevant_release(browser: Browser, tmp_path: Path) -> None:
    live = LiveSite(tmp_path)
    context = browser.new_context()
    page = context.new_page()
    try:
        live.release("2025-03-01", lambda d: None)
        chosen_under = page_revision(live)
        page.goto(live.url + "/")
        expect(page.locator(LAYER1)).to_be_visible()
        page.locator("policyforge-consent [data-action=accept]").click()
        expect(page.locator(LAYER1)).to_be_hidden()

        def editorial(d: dict[str, Any]) -> None:
            d["sections"][0]["text"] = "This policy explains, in plain words, what Tiny App does with your data."
            d["consent"].setdefault("banner", {})["title"] = "Cookies, reworded"

        live.release("2025-06-01", editorial)
        page.goto(live.url + "/")
        page.wait_for_function("window.policyforge && window.policyforge.consent")
        banner_ready(page)  # it decided whether to ask again
        expect(page.locator("policyforge-consent [role=dialog]")).to_have_count(0)
        assert page.evaluate("window.policyforge.consent.has('analytics')") is True

        def relevant(d: dict[str, Any]) -> None:
            d["consent"]["categories"][1]["cookies"] = [
                {"name": "_tiny_stats", "provider": "Tiny App", "purpose": "Counts visits", "duration": "1 year"}
            ]

        live.release("2025-09-01", relevant)
        page.goto(live.url + "/")
        expect(page.locator(LAYER1)).to_be_visible()
        note = page.locator("policyforge-consent .changed")
        expect(note).to_be_visible()
        href = note.locator("a").get_attribute("href", timeout=2000) or ""
        assert href == f"https://fixture.example/changes/since/{chosen_under}/"  # the revision chosen under
        assert (live.root / "changes" / "since" / chosen_under / "index.html").is_file()
        assert page.evaluate("window.policyforge.consent.has('analytics')") is False
    finally:
        context.close()
        live.srv.shutdown()


def banner_ready(page: Page) -> None:
    """Wait for the banner's ready event: by then it has read the stored choice and shown or not shown itself."""
    page.evaluate("new Promise(resolve => window.policyforge.consent.ready(() => resolve(true)))")


def csp_for_site(site: Path) -> str:
    text = (site / "_headers").read_text(encoding="utf-8")
    block = text.split("/*\n", 1)[1]
    return next(line.split(": ", 1)[1] for line in block.splitlines() if "Content-Security-Policy" in line)


@pytest.mark.parametrize("where", ["site", "demo"])
def test_strict_csp_zero_violations(
    browser: Browser, built_example: Path, serve_dir: Callable[..., str], where: str
) -> None:
    csp = "default-src 'self'" if where == "demo" else csp_for_site(built_example)
    assert "unsafe-inline" not in csp
    base = serve_dir(built_example, {"Content-Security-Policy": csp})
    page = browser.new_page()
    page.add_init_script(OBSERVERS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + ("/demo/" if where == "demo" else "/"))
    expect(page.locator(LAYER1)).to_be_visible()
    page.locator("policyforge-consent [data-action=accept]").click()
    if where == "demo":
        wait_for_true(page, "window.__analyticsRan === true")
        expect(page.frame_locator("iframe[data-consent]").locator("#frame-loaded")).to_be_visible()
    else:
        page.locator(".md-search__input").first.focus()
    # A violation of our own, last: once it is reported, every one the page caused before it has been too.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '0'; document.head.append(s); }")
    wait_for_true(page, "window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations") == ["script-src-elem inline"]
    assert errors == []
    page.close()


def test_demo_gates_until_consent(page: Page, example_url: str) -> None:
    page.goto(example_url + "demo/")
    expect(page.locator(LAYER1)).to_be_visible()
    assert page.evaluate("window.__analyticsRan") is None
    assert page.locator("iframe[data-consent]").get_attribute("src") is None
    page.evaluate("document.addEventListener('policyforge:change', () => { window.__decided = true; })")
    page.locator("policyforge-consent [data-action=reject]").click()
    wait_for_true(page, "window.__decided === true")  # the decision is applied before the change event
    assert page.evaluate("window.__analyticsRan") is None
    assert "_pf_demo_analytics" not in page.evaluate("document.cookie")


def test_instant_navigation_and_footer_settings_link(page: Page, tmp_path: Path) -> None:
    """Material's instant navigation needs site_url to match the origin, so build for this server."""
    project = copy_project(tmp_path / "p").parent
    site = project / "site"
    site.mkdir()
    srv, url = start_server(site)
    try:
        engine.build(project / "mkdocs.yml", site_url=url + "/")
        page.goto(url + "/")
        page.wait_for_function("window.policyforge && window.policyforge.consent")
        page.locator("policyforge-consent [data-action=reject]").click()
        page.evaluate("window.__sameDocument = true")
        api = page.evaluate_handle("window.policyforge.consent")
        page.locator(".md-nav__link[href*='publishing']").first.click()
        page.wait_for_url("**/publishing/")
        expect(page.locator("h1")).to_contain_text("How this policy is published")
        assert page.evaluate("window.__sameDocument") is True, "instant navigation did not happen"
        assert page.evaluate("(api) => api === window.policyforge.consent", api) is True
        assert page.locator("policyforge-consent").count() == 1
        settings = page.locator("a[data-policyforge-settings]")
        expect(settings).to_have_count(1)
        settings.click()
        expect(page.locator(LAYER2)).to_be_visible()
        assert page.locator("policyforge-consent").count() == 1
    finally:
        srv.shutdown()

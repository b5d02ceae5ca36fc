"""The example's version history in Chromium: current policy → what changed → archived version."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from policyforge.history.dates import TODAY_ENV
from policyforge.mkdocs_plugin import engine
from tests.helpers import TODAY, upcoming_project

pytestmark = pytest.mark.e2e


def dismiss_banner(page: Page) -> None:
    """Keep the consent banner out of the way (it is tested elsewhere)."""
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")


def test_follow_what_changed_to_the_archived_version(page: Page, example_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(example_url)
    dismiss_banner(page)
    page.locator("article .pf-meta a.pf-what-changed").click()
    expect(page).to_have_url(re.compile(r"/changes/2026-12-06/$"))  # the release that stated the facts
    dismiss_banner(page)
    article = page.locator("article")
    expect(article.locator(".pf-badge-consent")).to_have_count(0)  # nobody is asked again
    facts = article.locator(".pf-diff-facts")
    expect(facts).to_contain_text("New recipient: Stripe, United States, SCCs, transfer to a third country")
    expect(facts).to_contain_text("Supervisory authority: Data Protection Commission (Ireland)")
    # no cookie listed as changed: its duration became a period of the same words (P180D, "180 days")
    expect(article.locator(".pf-diff-items:not(.pf-diff-facts)")).to_have_count(0)

    article.locator(".pf-version-nav .pf-nav-prev a").click()
    expect(page).to_have_url(re.compile(r"/changes/2025-09-01/$"))
    dismiss_banner(page)
    expect(article.locator(".pf-badge-consent").first).to_be_visible()

    transfers = article.locator('[data-section="international-transfers"]')
    expect(transfers).to_have_attribute("data-change", "changed")
    inserted = " ".join(transfers.locator("ins").all_inner_texts())
    deleted = " ".join(transfers.locator("del").all_inner_texts())
    assert "European Commission's" in inserted and "added:" in inserted
    assert "We use appropriate" in deleted and "removed:" in deleted
    expect(transfers.locator("ins .pf-sr").first).to_have_css("position", "absolute")

    moved = article.locator('[data-section="data-retention"]')
    expect(moved).to_have_attribute("data-change", "moved")
    expect(moved).to_contain_text("Moved from section 8 to section 5")
    renamed = article.locator('[data-section="third-party-services"]')
    expect(renamed).to_have_attribute("data-change", "renamed")
    expect(renamed.locator("del")).to_contain_text("Third-Party Services and Sharing")
    expect(renamed.locator("ins")).to_contain_text("Service Providers and Data Sharing")
    cookies = article.locator(".pf-diff-items")
    for name in ("pf_consent", "_pf_demo_analytics", "marketing"):
        expect(cookies).to_contain_text(name)

    article.locator(".pf-version-nav .pf-nav-prev a").click()
    expect(page).to_have_url(re.compile(r"/changes/2025-03-01/$"))
    dismiss_banner(page)
    expect(page.locator("article .pf-first-version")).to_contain_text("first published version")
    page.locator("article .pf-first-version a").click()
    expect(page).to_have_url(re.compile(r"/versions/2025-03-01/$"))
    dismiss_banner(page)
    archived = page.locator("article .pf-archived")
    expect(archived).to_contain_text("Archived version, not current")
    expect(page.locator("article h2#third-party-services")).to_contain_text("Third-Party Services and Sharing")
    archived.locator("a.pf-current-link").click()
    expect(page).to_have_url(re.compile(r"127\.0\.0\.1:\d+/$"))
    expect(page.locator("article h2#third-party-services")).to_contain_text("Service Providers and Data Sharing")


def test_upcoming_version_is_announced_on_the_current_policy(
    page: Page, serve_dir: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = upcoming_project(tmp_path / "p")
    assert options.config_file is not None
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    base = serve_dir(engine.build(options.config_file)) + "/"
    page.goto(base)
    dismiss_banner(page)
    meta = page.locator("article .pf-meta")
    expect(meta).to_contain_text("Effective Date: June 1, 2024")
    meta.locator("a.pf-upcoming-link").click()
    expect(page).to_have_url(re.compile(r"/changes/2099-01-01/$"))
    dismiss_banner(page)
    expect(page.locator("article h1")).to_contain_text("What changes on January 1, 2099")
    page.locator("article .pf-version-nav .pf-nav-text a").click()
    expect(page).to_have_url(re.compile(r"/versions/2099-01-01/$"))
    dismiss_banner(page)
    expect(page.locator("article .pf-upcoming .admonition-title")).to_have_text(
        "Not yet in effect: takes effect on January 1, 2099"
    )

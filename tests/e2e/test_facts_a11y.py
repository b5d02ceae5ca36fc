"""The facts' tables on a phone and a desktop: the policy page with `include: processing`, `recipients`, `rights`
and `controller` (tests/fixtures/facts-site/, English and German) has 0 axe-core violations in the light and the
dark palette at 320 and 1280 px, and at 320 px the page never scrolls sideways (a wide table scrolls in its own
focusable region)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from policyforge.mkdocs_plugin import engine
from tests.conftest import FIXTURES
from tests.e2e.test_reader_a11y import violations

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def facts_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("facts-e2e") / "p"
    shutil.copytree(FIXTURES / "facts-site", project)
    return engine.build(project / "mkdocs.yml")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["", "de/"])
def test_policy_page_with_fact_tables_has_no_axe_violations(
    page: Page, facts_site: Path, serve_dir: Callable[..., str], lang: str, scheme: str, width: int
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script("localStorage.removeItem('/.__palette')")
    page.goto(f"{serve_dir(facts_site)}/{lang}")
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "slate" if scheme == "dark" else "default"
    )
    assert page.locator(".pf-processing tbody tr").count() == 3
    assert page.locator(".pf-recipients tbody tr").count() == 2
    assert page.locator("ul.pf-rights li").count() == 15
    assert violations(page) == []
    # the page itself never scrolls sideways; a table wider than the screen scrolls inside its region
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

"""The facts' tables on a phone and a desktop: the policy page with `include: processing`, `recipients`, `rights`
and `controller` (tests/fixtures/facts-site/ and the shipped example, English and German) has 0 axe-core violations
in the light and the dark palette at 320 and 1280 px, and at 320 px the page never scrolls sideways (a wide table
scrolls in its own focusable region)."""

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
    _open(page, f"{serve_dir(facts_site)}/{lang}", scheme, width)
    assert page.locator(".pf-processing tbody tr").count() == 3
    assert page.locator(".pf-recipients tbody tr").count() == 2
    assert page.locator("ul.pf-rights li").count() == 15
    _no_violations_and_no_sideways_scroll(page)


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["", "de/"])
def test_the_example_policy_page_with_its_fact_tables_has_no_axe_violations(
    page: Page, example_url: str, lang: str, scheme: str, width: int
) -> None:
    _open(page, f"{example_url}{lang}", scheme, width)
    assert page.locator(".pf-processing tbody tr").count() == 9
    assert page.locator(".pf-recipients tbody tr").count() == 3
    assert page.locator("dl.pf-controller .pf-party").count() == 2  # the controller and the supervisory authority
    assert page.locator("ul.pf-rights li").count() > 6
    if lang:  # every fact of the example is translated: no row is shown in English, none is stale
        assert page.locator(".pf-facts [lang='en'], .pf-facts .pf-translation-note").count() == 0
        assert page.locator("#pf-cat-essential tr[data-cookie='pf_consent'] td").nth(3).inner_text() == "180 Tage"
    _no_violations_and_no_sideways_scroll(page)


def _open(page: Page, url: str, scheme: str, width: int) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script("localStorage.removeItem('/.__palette')")
    page.goto(url)
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "slate" if scheme == "dark" else "default"
    )


def _no_violations_and_no_sideways_scroll(page: Page) -> None:
    assert violations(page) == []
    # the page itself never scrolls sideways; a table wider than the screen scrolls inside its region
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

"""Accessibility of the reader's pages: every page a visitor reads has 0 axe-core violations, in the light and
the dark palette.

Page kinds: the policy, the version list, a change page (one of wording, one of the facts stated), a
"changed since" page and an archived version. The consent banner is removed first (it has its own axe test in
test_banner_robust.py).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PAGES = {
    "policy": "",
    "versions": "versions/",
    "change": "changes/2025-09-01/",
    "facts change": "changes/2026-12-06/",  # the facts' changes listed in the law's words
    "since": "changes/since/2025-03-01/",
    "archived": "versions/2025-03-01/",
    "german policy": "de/",  # the example's German site: stale notice, translated page words
    "german change": "de/changes/2025-09-01/",  # the original's redline, marked as English
    "german archived": "de/versions/2025-03-01/",
}


def violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violations(page: Page, example_url: str, kind: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 900})
    # The theme's palette toggle follows the system preference when the visitor has not chosen.
    page.add_init_script("localStorage.removeItem('/.__palette')")
    page.goto(example_url + PAGES[kind])
    page.evaluate("() => document.querySelector('policyforge-consent')?.remove()")
    scheme_attr = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme_attr == ("slate" if scheme == "dark" else "default")
    assert violations(page) == []


WORDS_BROKEN = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('table.pf-versions th, table.pf-versions td a')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def test_version_list_headers_never_break_inside_a_word(page: Page, example_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(example_url + "versions/")
    assert page.locator("table.pf-versions th").count() == 3
    assert page.evaluate(WORDS_BROKEN) == []

"""Consent receipts from the real banner on the demo page, stored by the real service (Chromium).

The example project gets a release that sets ``consent.receipts_url`` to a receipts service on
127.0.0.1; the site is built and served with its own CSP. Accepting, rejecting, a custom
choice, the automatic GPC refusal and a withdrawal each store exactly one receipt with the
right fields; the site without ``receipts_url`` sends nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from policyforge.history.release import release
from policyforge.history.releases import load_history
from policyforge.mkdocs_plugin import engine
from policyforge.receipts.store import StoredReceipt, open_store
from policyforge.site.csp import demo_csp
from policyforge.source.options import read_project
from tests.conftest import copy_project, start_server
from tests.e2e.banner_kit import DIALOG, GPC_ON, LAYER1, LAYER2, button, wait_for_true
from tests.receipts.kit import Service, free_port

CATEGORIES = ["essential", "analytics", "preferences", "marketing"]

# Counts, in the tab's sessionStorage (kept across reloads), every receipt the banner sends as it sends it (a
# beacon the browser queued, or the fetch it falls back to), and notes the banner's ready event: the banner
# sends the receipt of a decision at load (GPC) before it tells `ready`.
WATCH_BANNER = """(() => {
  const key = "__pfReceiptSends";
  const sent = () => sessionStorage.setItem(key, String((+sessionStorage.getItem(key) || 0) + 1));
  const isReceipt = (url) => String(url).includes("/receipts");
  const beacon = Navigator.prototype.sendBeacon;
  Navigator.prototype.sendBeacon = function (url, body) {
    const queued = beacon.call(this, url, body);
    if (queued && isReceipt(url)) sent();
    return queued;
  };
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    if (isReceipt(input && input.url ? input.url : input)) sent();
    return fetch.call(this, input, init);
  };
  document.addEventListener("policyforge:ready", () => { window.__pfReady = true; });
})();"""


@pytest.fixture(autouse=True)
def watch_banner(page: Page) -> None:
    page.add_init_script(WATCH_BANNER)


def receipts_sent(page: Page) -> int:
    """How many receipts the banner has sent in this tab, across reloads."""
    return int(page.evaluate("+sessionStorage.getItem('__pfReceiptSends') || 0"))


@dataclass
class ReceiptSite:
    """The demo page of a site whose banner sends receipts, and the service that stores them."""

    demo: str
    origin: str
    db: str
    version: str
    sha256: str
    revision: str

    def stored(self, consent_id: str) -> list[StoredReceipt]:
        store = open_store(self.db)
        try:
            return store.find(consent_id)
        finally:
            store.close()

    def wait_for(self, consent_id: str, count: int) -> list[StoredReceipt]:
        """The receipts of ``consent_id`` once there are ``count`` (fails after 15 s)."""
        deadline = time.monotonic() + 15
        while len(found := self.stored(consent_id)) < count:
            assert time.monotonic() < deadline, f"{len(found)} receipt(s) stored for {consent_id}, expected {count}"
            time.sleep(0.05)
        return found


@pytest.fixture(scope="module")
def receipt_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReceiptSite]:
    tmp = tmp_path_factory.mktemp("receipts-site")
    config_file = copy_project(tmp / "project")
    options = read_project(config_file)
    port = free_port()
    policy = yaml.safe_load(options.policy_file.read_text(encoding="utf-8"))
    policy["consent"]["receipts_url"] = f"http://127.0.0.1:{port}/receipts"
    options.policy_file.write_text(yaml.safe_dump(policy, sort_keys=False, allow_unicode=True), encoding="utf-8")
    today = dt.date.today()
    release(options, today, "Consent receipts are kept.")
    history = load_history(options)
    newest, before = history.releases[-1], history.releases[-2]
    assert newest.date == today.isoformat()
    assert newest.consent_revision == before.consent_revision  # editorial: nobody is asked again
    site = engine.build(config_file)
    srv, url = start_server(
        site, {"Content-Security-Policy": demo_csp([f"http://127.0.0.1:{port}"]), "Cache-Control": "no-store"}
    )
    db = str(tmp / "receipts.sqlite3")
    service = Service(config_file, db, "--allow-origin", url)
    service.port = port
    service.start()
    try:
        yield ReceiptSite(url + "/demo/", url, db, newest.date, newest.sha256, newest.consent_revision)
    finally:
        service.stop()
        srv.shutdown()


def consent_id(page: Page) -> str:
    wait_for_true(page, "!!(window.policyforge && policyforge.consent.get())")
    value: str = page.evaluate("policyforge.consent.get().id")
    return value


def check(found: StoredReceipt, site: ReceiptSite, action: str, granted: list[str], gpc: bool = False) -> None:
    receipt = found.receipt
    assert receipt.action == action
    assert list(receipt.granted) == granted
    assert list(receipt.refused) == [c for c in CATEGORIES if c not in granted]
    # the banner sends format 2 (the revision); the service stored the version it resolved
    assert receipt.format == 2
    assert (receipt.version, receipt.sha256, receipt.revision) == (site.version, site.sha256, site.revision)
    assert receipt.gpc is gpc
    assert receipt.origin == site.origin and receipt.language == "en"
    client = dt.datetime.fromisoformat(receipt.client_time.replace("Z", "+00:00")).replace(tzinfo=None)
    assert abs((found.server_time - client).total_seconds()) < 600
    assert re.fullmatch(r"[0-9-]{7,64}", receipt.consent_id)


def settle(page: Page, site: ReceiptSite, cid: str, count: int) -> list[StoredReceipt]:
    """Wait for ``count`` receipts, then load the page again: once the banner is ready it has sent all it sends
    on a load, and it sent exactly ``count`` in all, so no other receipt can still arrive."""
    site.wait_for(cid, count)
    page.reload()
    wait_for_true(page, "window.__pfReady === true")
    assert receipts_sent(page) == count
    found = site.stored(cid)
    assert len(found) == count, [s.receipt.action for s in found]
    return found


def test_accept_stores_one_receipt_and_settings_show_its_id(page: Page, receipt_site: ReceiptSite) -> None:
    page.goto(receipt_site.demo)
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "accept").click()
    cid = consent_id(page)
    [found] = settle(page, receipt_site, cid, 1)
    check(found, receipt_site, "accept", CATEGORIES)
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    expect(page.locator(f"{DIALOG} .rid code")).to_have_text(cid)
    stamp = page.locator(f"{DIALOG} .rid time").get_attribute("datetime")
    chosen = page.evaluate("new Date(policyforge.consent.get().t).toISOString()")
    assert stamp == chosen
    expect(page.locator(f"{DIALOG} .rid")).to_contain_text("Your consent ID")


def test_reject_stores_one_receipt(page: Page, receipt_site: ReceiptSite) -> None:
    page.goto(receipt_site.demo)
    button(page, "reject").click()
    [found] = settle(page, receipt_site, consent_id(page), 1)
    check(found, receipt_site, "reject", ["essential"])


def test_custom_choice_stores_one_receipt(page: Page, receipt_site: ReceiptSite) -> None:
    page.goto(receipt_site.demo)
    button(page, "choose").click()
    page.get_by_role("switch", name="Analytics Cookies").check()
    button(page, "save").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    [found] = settle(page, receipt_site, consent_id(page), 1)
    check(found, receipt_site, "custom", ["essential", "analytics"])


def test_gpc_refusal_stores_one_receipt(page: Page, receipt_site: ReceiptSite) -> None:
    page.add_init_script(GPC_ON)
    page.goto(receipt_site.demo)
    [found] = settle(page, receipt_site, consent_id(page), 1)
    check(found, receipt_site, "gpc", ["essential"], gpc=True)


def test_withdrawal_stores_one_receipt_with_the_same_consent_id(page: Page, receipt_site: ReceiptSite) -> None:
    page.goto(receipt_site.demo)
    button(page, "accept").click()
    cid = consent_id(page)
    site = receipt_site
    site.wait_for(cid, 1)
    page.evaluate("policyforge.consent.show()")
    page.get_by_role("switch", name="Marketing Cookies").uncheck()
    with page.expect_navigation():  # a withdrawal reloads the page; the beacon is already queued
        button(page, "save").click()
    accepted, withdrawn = settle(page, site, cid, 2)
    check(accepted, site, "accept", CATEGORIES)
    check(withdrawn, site, "withdraw", ["essential", "analytics", "preferences"])


def test_no_receipts_without_receipts_url(page: Page, example_url: str) -> None:
    posts: list[Any] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(example_url + "demo/")
    button(page, "accept").click()
    page.evaluate("policyforge.consent.show()")
    expect(page.locator(LAYER2)).to_be_visible()
    assert page.locator(f"{DIALOG} .rid").count() == 0  # no consent id to quote when none is kept
    with page.expect_navigation():  # rejecting after accepting is a withdrawal: the page reloads
        button(page, "reject").click()
    wait_for_true(page, "window.__pfReady === true")  # a decision's receipt is sent before the reload
    assert receipts_sent(page) == 0 and posts == []
    script = page.evaluate("fetch('/consent/consent.js').then(r => r.text())")
    assert "sendBeacon" not in script and '"receipts"' not in script


def test_the_banner_works_unchanged_when_the_endpoint_is_down(page: Page, receipt_site: ReceiptSite) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/receipts", lambda route: route.abort("connectionrefused"))
    page.goto(receipt_site.demo)
    button(page, "accept").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    wait_for_true(page, "window.__analyticsRan === true")  # gated content runs at once, nothing waits
    assert consent_id(page)
    assert errors == []


def test_a_write_of_the_page_api_stores_one_receipt(page: Page, receipt_site: ReceiptSite) -> None:
    """accept() from a product's own settings page is proven like a visitor's choice (issue 25.3): one receipt,
    a custom choice; the categories it leaves undecided are in neither list (format 3)."""
    page.goto(receipt_site.demo)
    expect(page.locator(LAYER1)).to_be_visible()
    page.evaluate("policyforge.consent.accept('analytics')")
    [found] = settle(page, receipt_site, consent_id(page), 1)
    receipt = found.receipt
    assert (receipt.format, receipt.action, list(receipt.granted), list(receipt.refused)) == (
        3,
        "custom",
        ["essential", "analytics"],
        [],
    )

"""The failure-safe embedding (issue 25.1): the inline consent-default stub, then the banner with ``async``.

A product page on its own origin (``shop.example.test``) under a strict CSP that allows the stub by the hash the
build prints and the policy host (``policy.example.test``) by its origin; a fake Google tag that pushes ``js`` and
``config``; a gated analytics script; a "Cookie settings" link. The policy host is scripted: it holds the banner
until the test releases it (the issue's host answering in 5 s), answers 404, serves other bytes than the snippet's
integrity names, or is left out of the CSP. Both names are loopback (``sibling_browser``'s host resolver rules).

With the synchronous snippet of before, each test fails: a held banner holds the parser (no first paint, no
DOMContentLoaded: the page load times out), and a banner that never runs leaves no consent default.
"""

from __future__ import annotations

import collections
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from policyforge.banner.assemble import sri
from policyforge.banner.failsafe import embed_snippet
from policyforge.banner.stages import banner_files
from tests.e2e.banner_kit import (
    FIXTURES,
    LAYER1,
    LAYER2,
    OBSERVERS,
    a_record,
    button,
    config,
    consent_cookie_value,
    wait_for_true,
)
from tests.e2e.test_banner_spa import DATA_LAYER, GOOGLE_TAG

BANNER = "/consent/consent.js"
APP = 'document.addEventListener("click", (e) => { if (e.target.id === "buy") document.body.dataset.bought = "yes"; });'
# An inline script the CSP must block: only the stub runs inline, by its hash.
STRAY = "<script>window.__strayInline = true;</script>"
# The Consent Mode default of the fixture's categories: essential (required) maps security_storage.
DEFAULT = {"security_storage": "granted", "analytics_storage": "denied", "wait_for_update": 500}
CONSENT = "window.dataLayer.filter(a => a[0] === 'consent').map(a => [a[1], JSON.parse(JSON.stringify(a[2]))])"


class Host:
    """A loopback HTTP server answering scripted files; a held path answers only once the test releases it."""

    def __init__(self, name: str) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.headers: dict[str, str] = {}
        self.held: dict[str, threading.Event] = {}
        self.asked: collections.defaultdict[str, threading.Event] = collections.defaultdict(threading.Event)
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                host.asked[path].set()
                if path in host.held:
                    host.held[path].wait(60)
                kind, body = host.files.get(path, ("text/plain", b""))
                self.send_response(200 if path in host.files else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in host.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://{name}.example.test:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path: str, text: str, kind: str = "text/javascript") -> None:
        self.files[path] = (kind, text.encode("utf-8"))

    def hold(self, path: str) -> threading.Event:
        """Hold the answers to ``path`` until the returned event is set."""
        return self.held.setdefault(path, threading.Event())

    def close(self) -> None:
        for event in self.held.values():
            event.set()
        self.server.shutdown()


@pytest.fixture
def hosts() -> Iterator[tuple[Host, Host]]:
    """The product's host and the policy host, on loopback."""
    product, policy = Host("shop"), Host("policy")
    yield product, policy
    product.close()
    policy.close()


def set_up(
    product: Host, policy: Host, *, served: str = "exact", csp_allows_host: bool = True, on_load: bool = False
) -> None:
    """The product page with the printed snippet under a strict CSP, and the policy host's banner and page.
    ``served``: ``"exact"`` (the snippet's bytes), ``"other"`` (integrity mismatch) or ``"none"`` (404).
    ``on_load``: the banner's tag (with ``data-modal``) is added by the product's script once the page has loaded
    (as a tag manager would), instead of being in the snippet; the stub stays first in ``<head>``."""
    cfg = config(policyUrl=policy.origin + "/#cookies")
    files = banner_files(cfg)
    script = files.script
    embedding = embed_snippet(policy.origin + BANNER, script, cfg)
    sources = embedding.csp if csp_allows_host else embedding.csp[:1]
    product.headers["Content-Security-Policy"] = f"default-src 'self'; script-src 'self' {' '.join(sources)}"
    # the options go on the banner's tag: it reads them from document.currentScript, async too
    stub, banner = embedding.head.replace(" async src=", " async data-modal src=").splitlines()
    src, integrity = json.dumps(policy.origin + BANNER), json.dumps(sri(script))
    product.serve(
        "/add-banner.js",
        'addEventListener("load", () => { const s = document.createElement("script"); s.dataset.modal = "";'
        f" s.integrity = {integrity}; s.crossOrigin = 'anonymous'; s.src = {src}; document.head.append(s); }});",
    )
    if on_load:
        banner = '<script src="/add-banner.js"></script>'
    product.serve(
        "/",
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>'
        f"{stub}{banner}"
        f'<script src="/google-tag.js"></script><script src="/app.js"></script>{STRAY}</head>'
        '<body><main><h1>Shop</h1><p>Our products.</p><button id="buy">Buy</button>'
        '<script type="text/plain" data-consent="analytics" src="/analytics.js"></script></main>'
        f'<footer>{embedding.settings}</footer><script src="/late.js"></script></body></html>',
        "text/html",
    )
    product.serve("/google-tag.js", GOOGLE_TAG)
    product.serve("/app.js", APP)
    product.serve("/late.js", "window.__late = true;")
    product.serve("/analytics.js", (FIXTURES / "analytics.js").read_text(encoding="utf-8"))
    policy.headers["Access-Control-Allow-Origin"] = "*"
    policy.serve("/", '<!doctype html><title>Privacy</title><h1 id="cookies">Cookies</h1>', "text/html")
    if served != "none":
        policy.serve(BANNER, script if served == "exact" else script + "//tampered\n")
        policy.serve(BANNER.replace("consent.js", files.settings_name), files.settings)  # the second stage


class Tab:
    """A page of its own browser context in ``sibling_browser``, with the uncaught errors it reports."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.add_init_script(OBSERVERS)


@pytest.fixture
def tab(sibling_browser: Browser) -> Iterator[Tab]:
    opened = Tab(sibling_browser)
    yield opened
    opened.context.close()


def only_the_stray_script_was_blocked(page: Page, *also: str) -> None:
    """The stub ran under the CSP by its hash: the one inline script refused is the stray one (and ``also``)."""
    assert page.evaluate("window.__strayInline") is None
    assert sorted(page.evaluate("window.__cspViolations")) == sorted(["script-src-elem inline", *also])


def test_a_slow_policy_host_delays_neither_the_first_paint_nor_the_consent_default(
    tab: Tab, hosts: tuple[Host, Host]
) -> None:
    product, policy = hosts
    set_up(product, policy)
    held = policy.hold(BANNER)
    page, errors = tab.page, tab.errors
    page.goto(product.origin + "/", wait_until="domcontentloaded")
    assert policy.asked[BANNER].wait(10)
    # While the banner is held: the page has painted and answers clicks...
    wait_for_true(page, "performance.getEntriesByName('first-contentful-paint').length > 0")
    page.click("#buy")
    assert page.evaluate("document.body.dataset.bought") == "yes"
    waiting = (
        "[document.readyState, Array.isArray(window.policyforge), !!document.querySelector('policyforge-consent')]"
    )
    assert page.evaluate(waiting) == ["interactive", True, False] and not held.is_set()
    # ...and Google's tag found the denied default before its own commands; nothing gated ran.
    assert page.evaluate(DATA_LAYER) == ["consent:default", "js:date", "config:G-TEST"]
    assert page.evaluate(CONSENT) == [["default", DEFAULT]]
    assert page.evaluate("window.__gatedOrder") is None
    held.set()
    expect(page.locator(LAYER1)).to_be_visible()
    button(page, "accept").click()
    wait_for_true(page, "(window.__gatedOrder || []).includes('analytics-src')")
    # one default (the stub's), then the banner's update
    granted = {"security_storage": "granted", "analytics_storage": "granted"}
    assert page.evaluate(CONSENT) == [["default", DEFAULT], ["update", granted]]
    page.click("[data-policyforge-settings]")  # the banner has loaded: the link opens its settings
    expect(page.locator(LAYER2)).to_be_visible()
    assert page.url == product.origin + "/"
    only_the_stray_script_was_blocked(page)
    assert errors == []


@pytest.mark.parametrize("visitor", ["first", "returning"])
@pytest.mark.parametrize("arrival", ["while parsing", "after parsing", "after load"])
def test_an_async_banner_starts_whenever_it_arrives(
    tab: Tab, hosts: tuple[Host, Host], arrival: str, visitor: str
) -> None:
    """Before DOMContentLoaded (the page's last script held), after it (the banner held), or added after the
    load event: the banner reads its tag's options, shows the notice or sends the returning visitor's update,
    and activates gated content."""
    product, policy = hosts
    set_up(product, policy, on_load=arrival == "after load")
    held = product.hold("/late.js") if arrival == "while parsing" else policy.hold(BANNER)
    page, errors = tab.page, tab.errors
    if visitor == "returning":
        page.context.add_cookies(
            [{"name": "pf_consent", "value": consent_cookie_value(a_record()), "url": product.origin}]
        )
    page.goto(product.origin + "/", wait_until="commit")
    if arrival == "while parsing":
        wait_for_true(page, "!!(window.policyforge && window.policyforge.consent)")
        assert page.evaluate("document.readyState") == "loading"
    else:
        assert policy.asked[BANNER].wait(10)
        state = "complete" if arrival == "after load" else "interactive"  # an async tag of the page holds load
        wait_for_true(page, f"document.readyState === '{state}'")
    assert page.evaluate("window.__gatedOrder") is None
    held.set()
    if visitor == "first":
        expect(page.locator(LAYER1)).to_have_attribute("aria-modal", "true")  # data-modal, read from its tag
        button(page, "accept").click()
    wait_for_true(page, "(window.__gatedOrder || []).includes('analytics-src')")
    granted = {"security_storage": "granted", "analytics_storage": "granted"}
    assert page.evaluate(CONSENT) == [["default", DEFAULT], ["update", granted]]
    expect(page.locator(LAYER1)).to_have_count(0)
    assert errors == []


@pytest.mark.parametrize("failure", ["404", "integrity mismatch", "host not allowed by the CSP"])
def test_without_the_banner_google_sees_the_denied_default_and_nothing_gated_runs(
    tab: Tab, hosts: tuple[Host, Host], failure: str
) -> None:
    product, policy = hosts
    served = {"404": "none", "integrity mismatch": "other"}.get(failure, "exact")
    set_up(product, policy, served=served, csp_allows_host=failure != "host not allowed by the CSP")
    page, errors = tab.page, tab.errors
    page.goto(product.origin + "/", wait_until="load")
    if failure == "host not allowed by the CSP":
        only_the_stray_script_was_blocked(page, f"script-src-elem {policy.origin}{BANNER}")
        assert not policy.asked[BANNER].is_set()
    else:
        only_the_stray_script_was_blocked(page)
        assert policy.asked[BANNER].is_set()
    assert page.evaluate(DATA_LAYER) == ["consent:default", "js:date", "config:G-TEST"]
    assert page.evaluate(CONSENT) == [["default", DEFAULT]]
    # fail closed: the gated script stays inert
    assert page.evaluate("[window.__gatedOrder, document.querySelectorAll('script[type=\"text/plain\"]').length]") == [
        None,
        1,
    ]
    # the product's own code may still queue a listener, without an error
    assert page.evaluate("window.policyforge.push(() => {}) === 1 && Array.isArray(window.policyforge)") is True
    assert errors == []
    # "Cookie settings" is a real link: it leads to the policy's cookie section
    page.click("[data-policyforge-settings]")
    page.wait_for_url(policy.origin + "/#cookies")
    expect(page.locator("h1#cookies")).to_be_visible()

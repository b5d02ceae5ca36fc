"""Audit a live site against its policy in headless Chromium (``policyforge scan``).

The site is visited in three states, each in a fresh browser context: before any choice,
after "Reject all" and after "Accept all". In each state the scanner records cookies,
``localStorage``/``sessionStorage`` keys, requests to other hosts and the WebSocket,
EventSource and beacon channels they open, then compares them with the cookies the policy
declares. The rules are documented in ``docs/scan.md``.

The scanned site is treated as hostile (see :mod:`policyforge.audit.limits`): every browser
call runs under a step timeout and an overall deadline, downloads are refused, every connection
passes the scan's address gate (:mod:`policyforge.audit.addresses`: in a public scan none goes to
an internal address), and ``gpc.json`` is fetched with a size cap and a time limit.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

from ..errors import PolicyError
from ..source.model import Policy
from .addresses import SYSTEM_NETWORK, AddressGate, Network, resolver_map
from .browser import launch_args, sandbox_possible
from .egress import EgressProxy
from .limits import ScanStopped, Watchdog
from .published import GPC_SECONDS, fetch_gpc, published_policy
from .report import SCAN_RULES, ScanFinding, ScanReport, StateResult, check_report, format_report, origin

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator

__all__ = [
    "SCAN_RULES",
    "ScanError",
    "ScanFinding",
    "ScanReport",
    "StateResult",
    "fetch_gpc",
    "format_report",
    "scan_site",
]

SETTLE_MS = 1500  # longest wait for a page to go quiet
QUIET_MS = 250  # how long no request may be in flight to count as quiet
BANNER_WAIT_MS = 2000
NAV_TIMEOUT_MS = 15000
STEP_SECONDS = 20.0  # longest any single browser call may take
DEFAULT_TIMEOUT = 180.0  # the whole scan (--timeout)
CHANNELS = {"websocket": "WebSocket", "eventsource": "EventSource", "ping": "beacon", "beacon": "beacon"}
log = logging.getLogger("policyforge")
BANNER = "policyforge-consent [role=dialog]"
_SKIP_EXT = re.compile(r"\.(xml|json|txt|pdf|zip|gz|png|jpe?g|gif|svg|webp|ico|css|js|map|woff2?)$", re.I)
# What a page hands back is capped (keys, links, their lengths): a hostile page cannot swell the report.
_STORAGE_JS = """() => { const k = s => { try { return Object.keys(window[s]).slice(0, 500).map(n => n.slice(0, 300)); }
  catch (e) { return []; } };
  return [k("localStorage"), k("sessionStorage")]; }"""
_LINKS_JS = "els => els.slice(0, 1000).map(e => String(e.href).slice(0, 2000))"
_CATEGORIES_JS = """els => els.map(e => ({id: e.getAttribute("data-category"),
  title: ((e.querySelector(".pf-cat-title") || {}).textContent || "").trim()}))"""


class ScanError(PolicyError):
    """The scan could not run: unreachable URL, missing policy folder, browser failure."""


URL_HINT = "Check the URL: is the site being served, and does the address (host, port, path) match?"
NO_BROWSER = (
    "no Chromium to run the scan with: install one with `apt-get install chromium` (Debian, Ubuntu) "
    "or `playwright install chromium` (any system), or name one with CHROMIUM=/path/to/chrome"
)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _Session:
    """One state: a fresh browser context, its page, and what it records."""

    def __init__(self, scanner: _Scanner, state: StateResult) -> None:
        self.start = self.url = scanner.start
        self.state, self.dog, self.report, self.gate = state, scanner.dog, scanner.report, scanner.gate
        browser, dog = scanner.browser, scanner.dog
        self.pending: set[Any] = set()
        self.last_activity = time.monotonic()
        with dog.step("opening a browser context"):
            self.context = browser.new_context(ignore_https_errors=True, accept_downloads=False)
            self.context.set_default_timeout(min(NAV_TIMEOUT_MS, dog.timeout_ms()))
            self.context.on("request", self._on_request)
            self.context.on("requestfinished", self._on_done)
            self.context.on("requestfailed", self._on_done)
            self.context.route("**/*", self._guard)
            self.page = self.context.new_page()
            self.page.on("websocket", self._on_websocket)

    def _guard(self, route: Any) -> None:
        """Refuse what the gate refuses (internal addresses, in a public scan); let the rest through."""
        request = route.request
        host = _host(request.url)
        why = self.gate.refuses(host) if host else ""
        if why:
            self.report.refuse(request.url, why, self.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _on_request(self, request: Any) -> None:
        self.pending.add(request)
        self.last_activity = time.monotonic()
        url = request.url
        if request.redirected_from is not None and _host(url) and self.gate.refuses(_host(url)):
            self.report.refuse(url, f"redirect from {request.redirected_from.url} to an internal address", self.url)
        if url.startswith(("http:", "https:")) and _host(url) != _host(self.start):
            kind = CHANNELS.get(request.resource_type)
            entry = {"url": url, "host": _host(url), "page": self.url}
            if kind:
                self.state.channels.setdefault(url, {**entry, "kind": kind})
            else:
                self.state.third_party.setdefault(url, entry)

    def _on_websocket(self, socket: Any) -> None:
        url = socket.url
        if _host(url) != _host(self.start):
            self.state.channels.setdefault(url, {"url": url, "host": _host(url), "page": self.url, "kind": "WebSocket"})

    def _on_done(self, request: Any) -> None:
        self.pending.discard(request)
        self.last_activity = time.monotonic()

    def settle(self) -> None:
        """Wait until no request has been in flight for QUIET_MS, at most SETTLE_MS."""
        deadline = time.monotonic() + SETTLE_MS / 1000
        while time.monotonic() < deadline:
            if not self.pending and time.monotonic() - self.last_activity >= QUIET_MS / 1000:
                return
            with self.dog.step("waiting for the page to settle"):
                self.page.wait_for_timeout(25)

    def visit(self, url: str, *, first: bool = False) -> list[str]:
        """Open ``url``, let it settle, record it; return the links on it."""
        self.url = url
        try:
            with self.dog.step(f"opening {url}"):
                response = self.page.goto(url, wait_until="load", timeout=self.dog.timeout_ms(NAV_TIMEOUT_MS))
        except Exception as exc:
            if first:  # say so when it was refused (a name resolving to an internal address in a public scan)
                why = self.report.refused.get(url, {}).get("reason")
                raise ScanError(
                    f"cannot open {url}: {why or str(exc).splitlines()[0]}", hint=None if why else URL_HINT
                ) from exc
            return []
        if first and (response is None or response.status >= 400):
            raise ScanError(f"cannot open {url}: HTTP {response.status if response else 'no response'}", hint=URL_HINT)
        landed = _host(self.page.url)
        if landed and self.gate.refuses(landed):
            self.report.refuse(self.page.url, f"{url} led to an internal address; the page is not read", self.url)
            return []
        self.settle()
        self.record(url)
        try:
            with self.dog.step(f"reading the links of {url}"):
                hrefs: list[str] = self.page.eval_on_selector_all("a[href]", _LINKS_JS)
        except Exception:
            return []
        return hrefs

    def record(self, url: str) -> None:
        """Add the context's cookies and the page's storage keys to the state."""
        now = time.time()
        with self.dog.step(f"reading the cookies of {url}"):
            cookies = self.context.cookies()
        for cookie in cookies:
            key = (cookie["name"], cookie.get("domain", ""), cookie.get("path", "/"))
            expires = cookie.get("expires", -1)
            self.state.cookies.setdefault(
                key,
                {
                    "name": key[0],
                    "domain": key[1],
                    "path": key[2],
                    "page": url,
                    "expires": None if expires is None or expires < 0 else round(expires - now),
                },
            )
        try:
            with self.dog.step(f"reading the storage of {url}"):
                local, session = self.page.evaluate(_STORAGE_JS)
        except Exception:
            local, session = [], []
        for name in local:
            self.state.local_storage.setdefault(name, url)
        for name in session:
            self.state.session_storage.setdefault(name, url)

    def banner(self) -> Locator | None:
        """The visible consent dialog, or None when none appears within BANNER_WAIT_MS."""
        banner = self.page.locator(BANNER).first
        try:
            with self.dog.step("looking for the consent banner"):
                banner.wait_for(state="visible", timeout=self.dog.timeout_ms(BANNER_WAIT_MS))
        except Exception:
            return None
        return banner

    def close(self) -> None:
        with self.dog.step("closing a browser context"):
            self.context.close()


class _Scanner:
    """Drives one browser through the three states."""

    def __init__(
        self, browser: Browser, policy: Policy, gate: AddressGate, max_pages: int, dog: Watchdog, report: ScanReport
    ) -> None:
        self.browser = browser
        self.start = report.url
        self.gate = gate
        self.max_pages = max_pages
        self.dog = dog
        self.report = report
        texts = policy.require_consent().banner
        self.texts = {"accept": texts.accept, "reject": texts.reject, "choose": texts.customize}

    def run(self) -> ScanReport:
        self._before()
        for action in ("reject", "accept"):
            if self.report.banner["present"]:
                self._after_choice(action)
            else:
                self.report.states[action] = StateResult(action, skipped="no consent banner")
        return self.report

    def _button(self, scope: Locator, action: str) -> Locator | None:
        """The banner's button for ``action``: by its data-action hook, else by the policy's text."""
        for candidate in (
            scope.locator(f"button[data-action={action}]"),
            scope.get_by_role("button", name=self.texts[action], exact=True),
        ):
            with self.dog.step(f"looking for the {action!r} button"):
                if candidate.count():
                    return candidate.first
        return None

    def _before(self) -> None:
        """Crawl breadth first from the start page without interacting with the banner."""
        state = self.report.states["before"] = StateResult("before")
        session = _Session(self, state)
        queue: deque[str] = deque([self.start])
        seen = {self.start}
        while queue and len(self.report.pages) < self.max_pages:
            url = queue.popleft()
            first = not self.report.pages
            hrefs = session.visit(url, first=first)
            self.report.pages.append(url)
            if first:
                banner = session.banner()
                buttons = [a for a in ("accept", "reject", "choose") if banner and self._button(banner, a)]
                self.report.banner = {"present": banner is not None, "buttons": buttons, "categories": []}
            for href in hrefs:
                link = urldefrag(urljoin(url, href)).url
                if (
                    origin(link) == origin(self.start)
                    and link not in seen
                    and not _SKIP_EXT.search(urlsplit(link).path)
                ):
                    seen.add(link)
                    queue.append(link)
        session.close()

    def _after_choice(self, action: str) -> None:
        """Click "Reject all" or "Accept all" on the start page, then visit every page again."""
        state = self.report.states[action] = StateResult(action)
        session = _Session(self, state)
        try:
            with self.dog.step(f"opening {self.start}"):
                session.page.goto(self.start, wait_until="load", timeout=self.dog.timeout_ms(NAV_TIMEOUT_MS))
            banner = session.banner()
            if banner is None:
                self.report.states[action] = StateResult(action, skipped="the banner did not appear")
                return
            if action == "accept":
                choose = self._button(banner, "choose")
                if choose:
                    categories = session.page.locator(f"{BANNER} [data-category]")
                    with self.dog.step("opening the banner's settings"):
                        choose.click(timeout=self.dog.timeout_ms())
                    # the settings layer comes with the banner's second stage, one request after the click
                    with contextlib.suppress(Exception), self.dog.step("waiting for the banner's settings"):
                        categories.first.wait_for(state="attached", timeout=self.dog.timeout_ms(BANNER_WAIT_MS))
                    with self.dog.step("reading the banner's categories"):
                        self.report.banner["categories"] = categories.evaluate_all(_CATEGORIES_JS)
            button = self._button(banner, action)
            if button is None:
                self.report.states[action] = StateResult(action, skipped=f"no {self.texts[action]!r} button")
                return
            with self.dog.step(f"clicking {self.texts[action]!r}"):
                button.click(timeout=self.dog.timeout_ms())
            session.settle()
            for url in self.report.pages:
                session.visit(url)
        finally:
            session.close()


def scan_site(
    url: str,
    policy_dir: Path,
    *,
    max_pages: int = 10,
    timeout: float = DEFAULT_TIMEOUT,
    chromium_args: tuple[str, ...] = (),
    network: Network = SYSTEM_NETWORK,
) -> ScanReport:
    """Scan ``url`` against the policy in ``policy_dir``; raise :class:`ScanError` on unusable input.

    The scan ends within ``timeout`` seconds (plus the gpc.json fetch, at most
    :data:`GPC_SECONDS`); when the deadline or a step timeout stops it, the report says so in
    ``incomplete`` and holds what was seen until then. ``network`` resolves names and classifies
    addresses for the scan's :class:`~policyforge.audit.addresses.AddressGate` (tests script it).
    """
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ScanError(f"{url!r} is not an http(s) URL", hint="Give the full address, e.g. http://127.0.0.1:8000/.")
    policy_file = policy_dir / "policy.yaml"
    if not policy_file.is_file():
        raise ScanError(f"{policy_file}: not found (pass --policy, the folder that holds policy.yaml)")
    policy = published_policy(policy_dir)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ScanError(
            "policyforge scan needs Playwright, which is installed with policyforge: "
            "reinstall it with `pip install policyforge`"
        ) from None

    gate = AddressGate(_host(url), resolver_map(chromium_args), network)  # the scanned host's first resolution
    report = ScanReport(url=url, sandbox=sandbox_possible())
    dog = Watchdog(max(timeout - GPC_SECONDS, 1.0), min(STEP_SECONDS, max(5.0, timeout / 4)))
    args = launch_args()
    own_proxy = any(a.startswith("--proxy-server") for a in chromium_args)  # then the user's proxy filters
    proxy = None if own_proxy else EgressProxy(gate, report.refuse).start()  # Chromium's connections pass the gate
    routed = [f"--proxy-server={proxy.address}", "--proxy-bypass-list=<-loopback>"] if proxy else []
    args["args"] = [*args["args"], *chromium_args, *routed]  # type: ignore[misc]
    try:
        _run_browser(
            playwright_api=(sync_playwright, PlaywrightError),
            args=args,
            dog=dog,
            report=report,
            policy=policy,
            gate=gate,
            max_pages=max_pages,
        )
    finally:
        if proxy is not None:
            proxy.stop()
    status, data, problem = fetch_gpc(url, gate=gate)
    report.findings = check_report(report, policy, (status, data), gpc_problem=problem)
    return report


def _run_browser(
    *,
    playwright_api: tuple[Any, type[Exception]],
    args: dict[str, object],
    dog: Watchdog,
    report: ScanReport,
    policy: Policy,
    gate: AddressGate,
    max_pages: int,
) -> None:
    """Launch Chromium and drive the three states; a watchdog stop leaves ``report.incomplete`` set."""
    sync_playwright, playwright_error = playwright_api
    url = report.url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**args, timeout=dog.timeout_ms(30000))
            if not report.sandbox:
                log.warning(
                    "running as root: Chromium's sandbox cannot start, so it is off while visiting %s; "
                    'run the scan as an unprivileged user (docs/security.md, "Running scan in CI")',
                    url,
                )
            try:
                dog.start(_browser_pid(browser))
                _Scanner(browser, policy, gate, max_pages, dog, report).run()
            except ScanStopped as stop:
                report.incomplete = stop.reason
            finally:
                dog.stop()
                with contextlib.suppress(playwright_error):
                    browser.close()
    except playwright_error as exc:
        if dog.reason is not None:
            report.incomplete = dog.reason
        elif "Executable doesn't exist" in str(exc) or "executable doesn't exist" in str(exc):
            raise ScanError(NO_BROWSER) from None
        else:
            raise ScanError(f"the browser failed: {str(exc).splitlines()[0]}") from exc


def _browser_pid(browser: Browser) -> int | None:
    """The process id of the browser, so the watchdog can end it (None where Chromium does not say)."""
    try:
        info = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
    except Exception:
        return None
    pids = [int(p["id"]) for p in info.get("processInfo", []) if p.get("type") == "browser"]
    return pids[0] if pids and pids[0] != os.getpid() else None

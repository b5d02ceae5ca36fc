"""Audit a live site against its policy in headless Chromium (``policyforge scan``).

The site is visited in three states, each in a fresh browser context: before any choice,
after "Reject all" and after "Accept all". In each state the scanner records cookies,
``localStorage``/``sessionStorage`` keys and requests to other hosts, then compares them
with the cookies the policy declares. The rules are documented in ``docs/scan.md``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

from ..errors import PolicyError
from ..history.releases import load_history
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from .browser import launch_args
from .report import SCAN_RULES, ScanFinding, ScanReport, StateResult, check_report, format_report, gpc_url, origin

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
BANNER = "policyforge-consent [role=dialog]"
_SKIP_EXT = re.compile(r"\.(xml|json|txt|pdf|zip|gz|png|jpe?g|gif|svg|webp|ico|css|js|map|woff2?)$", re.I)
_STORAGE_JS = """() => { const k = s => { try { return Object.keys(window[s]); } catch (e) { return []; } };
  return [k("localStorage"), k("sessionStorage")]; }"""
_CATEGORIES_JS = """els => els.map(e => ({id: e.getAttribute("data-category"),
  title: ((e.querySelector(".pf-cat-title") || {}).textContent || "").trim()}))"""


class ScanError(PolicyError):
    """The scan could not run: unreachable URL, missing policy folder, browser failure."""


URL_HINT = "Check the URL: is the site being served, and does the address (host, port, path) match?"
NO_BROWSER = ("no Chromium to run the scan with: install one with `apt-get install chromium` (Debian, Ubuntu) "
              "or `playwright install chromium` (any system), or name one with CHROMIUM=/path/to/chrome")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _Session:
    """One state: a fresh browser context, its page, and what it records."""

    def __init__(self, browser: Browser, start: str, state: StateResult) -> None:
        self.start, self.state, self.url = start, state, start
        self.pending: set[Any] = set()
        self.last_activity = time.monotonic()
        self.context = browser.new_context(ignore_https_errors=True)
        self.context.set_default_timeout(NAV_TIMEOUT_MS)
        self.context.on("request", self._on_request)
        self.context.on("requestfinished", self._on_done)
        self.context.on("requestfailed", self._on_done)
        self.page = self.context.new_page()

    def _on_request(self, request: Any) -> None:
        self.pending.add(request)
        self.last_activity = time.monotonic()
        url = request.url
        if url.startswith(("http:", "https:")) and _host(url) != _host(self.start):
            self.state.third_party.setdefault(url, {"url": url, "host": _host(url), "page": self.url})

    def _on_done(self, request: Any) -> None:
        self.pending.discard(request)
        self.last_activity = time.monotonic()

    def settle(self) -> None:
        """Wait until no request has been in flight for QUIET_MS, at most SETTLE_MS."""
        deadline = time.monotonic() + SETTLE_MS / 1000
        while time.monotonic() < deadline:
            if not self.pending and time.monotonic() - self.last_activity >= QUIET_MS / 1000:
                return
            self.page.wait_for_timeout(25)

    def visit(self, url: str, *, first: bool = False) -> list[str]:
        """Open ``url``, let it settle, record it; return the links on it."""
        self.url = url
        try:
            response = self.page.goto(url, wait_until="load")
        except Exception as exc:
            if first:
                raise ScanError(f"cannot open {url}: {str(exc).splitlines()[0]}", hint=URL_HINT) from exc
            return []
        if first and (response is None or response.status >= 400):
            raise ScanError(f"cannot open {url}: HTTP {response.status if response else 'no response'}",
                            hint=URL_HINT)
        self.settle()
        self.record(url)
        try:
            hrefs: list[str] = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        except Exception:
            return []
        return hrefs

    def record(self, url: str) -> None:
        """Add the context's cookies and the page's storage keys to the state."""
        now = time.time()
        for cookie in self.context.cookies():
            key = (cookie["name"], cookie.get("domain", ""), cookie.get("path", "/"))
            expires = cookie.get("expires", -1)
            self.state.cookies.setdefault(key, {
                "name": key[0], "domain": key[1], "path": key[2], "page": url,
                "expires": None if expires is None or expires < 0 else round(expires - now),
            })
        try:
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
            banner.wait_for(state="visible", timeout=BANNER_WAIT_MS)
        except Exception:
            return None
        return banner

    def close(self) -> None:
        self.context.close()


class _Scanner:
    """Drives one browser through the three states."""

    def __init__(self, browser: Browser, policy: Policy, start: str, max_pages: int) -> None:
        self.browser = browser
        self.start = start
        self.max_pages = max_pages
        self.report = ScanReport(url=start)
        texts = policy.consent.banner
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
        for candidate in (scope.locator(f"button[data-action={action}]"),
                          scope.get_by_role("button", name=self.texts[action], exact=True)):
            if candidate.count():
                return candidate.first
        return None

    def _before(self) -> None:
        """Crawl breadth first from the start page without interacting with the banner."""
        state = self.report.states["before"] = StateResult("before")
        session = _Session(self.browser, self.start, state)
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
                if (origin(link) == origin(self.start) and link not in seen
                        and not _SKIP_EXT.search(urlsplit(link).path)):
                    seen.add(link)
                    queue.append(link)
        session.close()

    def _after_choice(self, action: str) -> None:
        """Click "Reject all" or "Accept all" on the start page, then visit every page again."""
        state = self.report.states[action] = StateResult(action)
        session = _Session(self.browser, self.start, state)
        try:
            session.page.goto(self.start, wait_until="load")
            banner = session.banner()
            if banner is None:
                self.report.states[action] = StateResult(action, skipped="the banner did not appear")
                return
            if action == "accept":
                choose = self._button(banner, "choose")
                if choose:
                    choose.click()
                    self.report.banner["categories"] = session.page.locator(
                        f"{BANNER} [data-category]").evaluate_all(_CATEGORIES_JS)
            button = self._button(banner, action)
            if button is None:
                self.report.states[action] = StateResult(action, skipped=f"no {self.texts[action]!r} button")
                return
            button.click()
            session.settle()
            for url in self.report.pages:
                session.visit(url)
        finally:
            session.close()


def fetch_gpc(start: str) -> tuple[int, Any]:
    """HTTP status (0: unreachable) and parsed JSON (None if not JSON) of the site's gpc.json."""
    url = gpc_url(start)
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, ValueError):
        return 0, None


def published_policy(policy_dir: Path) -> Policy:
    """The policy a live site publishes: the release in effect, or the draft when nothing is released."""
    options = ProjectOptions(root=policy_dir.parent, source=policy_dir, site_dir=policy_dir.parent / "site",
                             allow_html=True)
    current = load_history(options).in_effect()
    if current is not None:
        return current.policy
    return load_policy(options.policy_file, allow_html=True, display=str(options.policy_file))


def scan_site(url: str, policy_dir: Path, *, max_pages: int = 10) -> ScanReport:
    """Scan ``url`` against the policy in ``policy_dir``; raise :class:`ScanError` on unusable input."""
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
        raise ScanError("policyforge scan needs Playwright, which is installed with policyforge: "
                        "reinstall it with `pip install policyforge`") from None

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args())  # type: ignore[arg-type]
            try:
                report = _Scanner(browser, policy, url, max_pages).run()
            finally:
                browser.close()
    except PlaywrightError as exc:
        if "Executable doesn't exist" in str(exc) or "executable doesn't exist" in str(exc):
            raise ScanError(NO_BROWSER) from None
        raise ScanError(f"the browser failed: {str(exc).splitlines()[0]}") from exc
    report.findings = check_report(report, policy, fetch_gpc(url))
    return report


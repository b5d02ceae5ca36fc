"""Take the README's screenshots of the built example site (run `make screenshots`).

Writes docs/img/policy-banner.png (desktop, first visit: policy page with the banner),
docs/img/banner-settings-phone.png (390 px wide, the banner's second layer) and
docs/img/changes.png (the change page of the sample amendment) and docs/img/german-stale.png (the German
site's International Transfers section with its stale-translation notice, and the banner in German).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from policyforge.audit.browser import launch_args

ROOT = Path(__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        sys.exit("build the site first: make site")
    handler = functools.partial(_Quiet, directory=str(site))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args())  # type: ignore[arg-type]
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(base)
        page.locator("policyforge-consent [role=dialog]").wait_for()
        page.screenshot(path=str(out / "policy-banner.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.goto(base + "demo/")
        phone.locator("policyforge-consent [data-action=choose]").click()
        phone.locator("policyforge-consent [data-layer='2']").wait_for()
        phone.screenshot(path=str(out / "banner-settings-phone.png"))
        changes = browser.new_page(viewport={"width": 1280, "height": 1100})
        changes.goto(base + "changes/2025-09-01/")
        changes.locator("policyforge-consent [data-action=reject]").click()
        changes.screenshot(path=str(out / "changes.png"))
        german = browser.new_page(viewport={"width": 1280, "height": 860}, locale="de-DE")
        german.goto(base + "de/")
        german.locator("policyforge-consent [role=dialog]").wait_for()
        german.evaluate("document.getElementById('international-transfers').scrollIntoView()")
        german.evaluate("window.scrollBy(0, -120)")
        german.screenshot(path=str(out / "german-stale.png"))
        browser.close()
    srv.shutdown()
    print(f"wrote screenshots to {out}")


if __name__ == "__main__":
    main()

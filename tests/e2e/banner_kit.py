"""Helpers shared by the consent-banner browser tests (test_banner_*.py)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from policyforge.banner.config import write_banner
from policyforge.banner.languages import texts_for
from policyforge.banner.stages import banner_files
from policyforge.source.locales import right_to_left

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "banner"
CONFIG: dict[str, Any] = json.loads((FIXTURES / "config.json").read_text(encoding="utf-8"))
TEXTS: dict[str, str] = CONFIG["texts"]

HOST = "policyforge-consent"
DIALOG = "policyforge-consent [role=dialog]"
LAYER1 = "policyforge-consent [role=dialog][data-layer='1']"
LAYER2 = "policyforge-consent [role=dialog][data-layer='2']"

# Installed before any page script: collects CSP violations and the CLS score
# (layout shifts without recent input, as CLS defines it).
OBSERVERS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"


def a_record(**changes: Any) -> dict[str, Any]:
    """A consent record as the banner stores it (format 2, analytics granted), with fields replaced."""
    rec: dict[str, Any] = {
        "v": 2,
        "c": {"essential": True, "analytics": True, "preferences": False},
        "r": CONFIG["revision"],
        "t": 1,
        "id": "x",
        "gpc": False,
        "auto": False,
    }
    rec.update(changes)
    return rec


def stored(page: Page, base: str, rec: dict[str, Any]) -> None:
    """Put a consent record cookie into the context, as an earlier visit would have."""
    page.context.add_cookies([{"name": CONFIG["cookie"], "value": consent_cookie_value(rec), "url": base}])


def siblings(base: str) -> tuple[str, str]:
    """The product's host and a sibling subdomain on the port of ``base`` (see ``sibling_browser``)."""
    scheme, _, port = base.rpartition(":")
    scheme = scheme.split("://")[0]
    return f"{scheme}://www.example.test:{port}", f"{scheme}://evil.example.test:{port}"


def config(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of the fixture config with top-level keys replaced."""
    cfg = copy.deepcopy(CONFIG)
    cfg.update(changes)
    return cfg


# The fixture's categories in German and Arabic: (title, description, cookie purposes), in the fixture's order.
CATEGORY_TEXTS: dict[str, list[tuple[str, str, list[str]]]] = {
    "de": [
        ("Notwendige Cookies", "Für Grundfunktionen und Sicherheit erforderlich", ["Speichert Ihre Cookie-Auswahl"]),
        (
            "Analyse-Cookies",
            "Helfen uns, die Nutzung zu verstehen und die Zuverlässigkeit zu verbessern",
            ["Zählt Seitenaufrufe"],
        ),
        ("Präferenz-Cookies", "Speichern Ihre Sprach- und Layouteinstellungen", []),
    ],
    "ar": [
        ("ملفات الارتباط الضرورية", "مطلوبة للوظائف الأساسية والأمان", ["تحفظ اختياراتك لملفات تعريف الارتباط"]),
        ("ملفات الارتباط التحليلية", "تساعدنا على فهم استخدام المنتج وتحسين موثوقيته", ["تحسب مرات عرض الصفحات"]),
        ("ملفات الارتباط التفضيلية", "تتذكر لغتك واختياراتك للتخطيط", []),
    ],
}


def multilingual(*langs: str) -> dict[str, Any]:
    """The fixture config (English) speaking ``langs`` too: built-in banner texts, categories from CATEGORY_TEXTS
    (the others keep the English ones)."""
    cfg = config()
    cfg["languages"] = {
        lang: {
            "policyUrl": cfg["policyUrl"],
            "changesUrl": cfg["changesUrl"],
            "texts": {key: texts_for(lang, {}, original=False)[key] for key in cfg["texts"]},
            "categories": [
                {
                    "title": t,
                    "description": d,
                    "cookies": [
                        {"purpose": p, "duration": k["duration"]} for p, k in zip(purposes, c["cookies"], strict=True)
                    ],
                }
                for (t, d, purposes), c in zip(
                    CATEGORY_TEXTS.get(
                        lang,
                        [
                            (c["title"], c["description"], [k["purpose"] for k in c["cookies"]])
                            for c in cfg["categories"]
                        ],
                    ),
                    cfg["categories"],
                    strict=True,
                )
            ],
        }
        for lang in langs
    }
    if rtl := right_to_left(langs):  # as banner_config: the languages CLDR writes right to left
        cfg["rtl"] = rtl
    return cfg


def make_site(tmp_path: Path, cfg: dict[str, Any] | None = None, pages: dict[str, str] | None = None) -> Path:
    """Copy the banner fixtures into ``tmp_path`` with the banner's files (``consent.js``, its second stage, a
    first stage per further language) and extra pages."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES, root)
    write_banner(banner_files(cfg or CONFIG), root)
    for name, text in (pages or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def html(body: str, head: str = '<script src="/consent.js"></script>') -> str:
    """A small valid page with a main landmark and an h1."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Test</title>{head}</head><body><main><h1>Test</h1>{body}</main></body></html>"
    )


def open_site(
    page: Page,
    serve_dir: Callable[..., str],
    tmp_path: Path,
    path: str = "/index.html",
    cfg: dict[str, Any] | None = None,
    pages: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """Serve a fixture site, open ``path`` and return (base URL, list collecting page errors)."""
    base = serve_dir(make_site(tmp_path, cfg, pages), headers)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(OBSERVERS)
    page.goto(base + path)
    return base, errors


def button(page: Page, action: str) -> Locator:
    """A banner button by its data-action (accept, reject, choose, save, close)."""
    return page.locator(f"{DIALOG} [data-action='{action}']")


def record(page: Page) -> Any:
    """The consent record as the page API returns it."""
    return page.evaluate("window.policyforge.consent.get()")


def cookie(page: Page, name: str) -> dict[str, Any] | None:
    """A cookie of the browser context by name, or None."""
    for item in page.context.cookies():
        if item["name"] == name:
            return dict(item)
    return None


def gated(page: Page) -> Any:
    """What the gated scripts pushed, in execution order."""
    return page.evaluate("window.__gatedOrder || []")


def nothing_optional_ran(page: Page) -> None:
    """Only the essential gated script ran: no optional category is granted, the gated frame has no src."""
    assert gated(page) == ["essential"]
    assert page.evaluate("['analytics', 'preferences'].map(policyforge.consent.has)") == [False, False]
    assert page.locator("iframe").get_attribute("src") is None


def consent_cookie_value(rec: dict[str, Any]) -> str:
    """URL-encode a record the way the banner stores it."""
    from urllib.parse import quote

    return quote(json.dumps(rec, separators=(",", ":")), safe="")


def shadow(expr: str) -> str:
    """A JS arrow function evaluating ``expr`` with ``r`` bound to the banner's shadow root."""
    return f'() => {{ const r = document.querySelector("policyforge-consent").shadowRoot; return {expr}; }}'


def wait_for_true(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Poll from Python: page.wait_for_function evaluates its predicate with eval, which a strict CSP blocks."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(20)

"""Consent banner in Chromium over https: a look-alike of the record's name is not the record.

The record is ``__Host-pf_consent`` on https, which no other host can set. A sibling subdomain can
still set a Domain cookie whose name only *looks* like it: the name with a Unicode space, a
byte-order mark or a zero-width character around it, a nameless cookie whose value starts with the
name and ``=``, or the prefix in another case. The banner reads a cookie only when its name is the
record's name byte for byte, so none of them stands in for a choice, nor in the way of the
visitor's own (issue 21.1). ``sibling_browser`` maps ``*.example.test`` to 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.banner_kit import (
    CONFIG,
    DIALOG,
    LAYER1,
    a_record,
    button,
    consent_cookie_value,
    make_site,
    nothing_optional_ran,
    record,
    siblings,
)

pytestmark = pytest.mark.e2e

Serve = Callable[..., str]
NAME = "__Host-" + CONFIG["cookie"]
FORGED = consent_cookie_value(a_record(c={"essential": True, "analytics": True, "preferences": True}))

# Unicode's White_Space property (PropList.txt), then invisible characters that are not spaces:
# the byte-order mark, the zero-width space, non-joiner, joiner, word joiner, Mongolian vowel separator.
WHITE_SPACE = [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029]
WHITE_SPACE += [0x202F, 0x205F, 0x3000]
INVISIBLE = [0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x180E]
# What JavaScript's trim() strips and the browser keeps in a name: the plants that fooled the old banner.
TRIMMED_BY_JS = [0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]

LOOKALIKES: dict[str, str] = {  # label: the cookie text before its attributes
    **{f"U+{c:04X} before": f"{chr(c)}{NAME}={FORGED}" for c in WHITE_SPACE + INVISIBLE},
    **{f"U+{c:04X} after": f"{NAME}{chr(c)}={FORGED}" for c in WHITE_SPACE + INVISIBLE},
    "nameless": f"={NAME}={FORGED}",
    "nameless, NBSP": f"=\u00a0{NAME}={FORGED}",
    "__host-": f"{NAME.lower()}={FORGED}",
    "__HOST-": f"__HOST-{CONFIG['cookie']}={FORGED}",
    "name in capitals": f"__Host-{CONFIG['cookie'].upper()}={FORGED}",
}


def domain_cookies(page: Page) -> list[tuple[str, str]]:
    """(name, value) of the cookies set for the whole registrable domain."""
    return [(c["name"], c["value"]) for c in page.context.cookies() if c["domain"] == ".example.test"]


def plant_visit_reject_revisit(page: Page, evil_page: Page, www: str, cookie_text: str) -> bool:
    """Plant one look-alike from the sibling, then check the banner on www; whether the browser kept it."""
    page.context.clear_cookies()
    evil_page.evaluate("text => { document.cookie = text + '; domain=example.test; path=/; Secure'; }", cookie_text)
    planted = domain_cookies(page)
    page.goto(www + "/index.html")
    expect(page.locator(LAYER1)).to_be_visible()  # no choice taken from the look-alike
    assert record(page) is None
    nothing_optional_ran(page)
    if not planted:  # the browser refused it: what follows would be a visit without any cookie
        return False
    button(page, "reject").click()
    expect(page.locator(DIALOG)).to_have_count(0)
    page.goto(www + "/index.html")  # the look-alike is still there: no conflict, the refusal stands
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(DIALOG)).to_have_count(0)
    assert record(page)["c"]["analytics"] is False
    nothing_optional_ran(page)
    assert domain_cookies(page) == planted
    return True


def test_lookalike_record_names_from_a_sibling_are_ignored(
    sibling_browser: Browser, serve_dir: Serve, tmp_path: Path
) -> None:
    """Each look-alike, planted as a Domain cookie on evil.example.test, leaves www's banner as if it were not there."""
    www, evil = siblings(serve_dir(make_site(tmp_path), tls=True))
    context = sibling_browser.new_context(ignore_https_errors=True)
    page, evil_page = context.new_page(), context.new_page()
    evil_page.goto(evil + "/frame.html")
    kept = []
    for label, cookie_text in LOOKALIKES.items():
        try:
            if plant_visit_reject_revisit(page, evil_page, www, cookie_text):
                kept.append(label)
        except AssertionError as error:
            raise AssertionError(f"look-alike {label!r}: {error}") from error
    # the plants that fooled a banner reading names with trim() were really in place
    assert {f"U+{c:04X} before" for c in TRIMMED_BY_JS} <= set(kept), kept
    context.close()


@pytest.mark.parametrize("tls", [True, False])
def test_settings_name_the_record_as_it_is_set(
    sibling_browser: Browser, serve_dir: Serve, tmp_path: Path, tls: bool
) -> None:
    """The settings layer's cookie list names the record cookie the banner really sets: ``__Host-`` + name on
    https, the plain name on http (issue 25.6)."""
    www, _ = siblings(serve_dir(make_site(tmp_path), tls=tls))
    context = sibling_browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.goto(www + "/index.html")
    button(page, "reject").click()
    names = [c["name"] for c in context.cookies() if c["value"]]
    assert names == [NAME if tls else CONFIG["cookie"]]
    page.evaluate("policyforge.consent.show()")
    row = page.locator(f"{DIALOG} [data-cookie={CONFIG['cookie']}]")
    row.locator("xpath=..").locator("summary").click()
    expect(row.locator("dd").first).to_have_text(names[0])
    context.close()

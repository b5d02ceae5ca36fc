"""Hostile strings in every string field of the policy never run in a visitor's browser.

The fixture policy is built with a release and a draft, so every kind of generated output
exists: the policy page, the archive, change pages, the draft, the feeds, the JSON files and
the banner. Every page is loaded in Chromium and both banner layers are opened; a window flag
and a dialog handler catch any script execution.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser

from policyforge.cli.main import main
from tests.conftest import FIXTURES

PWN = "window.__pwned=1"
PLAIN = [
    f"<script>{PWN}</script>",
    f'"><img src=x onerror="{PWN}">',
    f"</script><script>{PWN}</script>",
    f"javascript:{PWN}",
    f"'; {PWN}; '",
    "]]> <![CDATA[ & \x01\x02 control",
    "line\u2028separator\u2029paragraph",
    "{{ 7*7 }} {% raw %} ${7*7}",
    '{: onclick="' + PWN + '" } # heading? *bold* _em_',
]
MARKDOWN = [
    f"[click me](javascript:{PWN})",
    f"![img](javascript:{PWN}) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[spaced]( JaVaScRiPt:{PWN})",
    "]]> & \x02 \u2028 {{ 7*7 }} `</script>`",
    f"[entity](&#106;avascript:{PWN})",
]
NO_TEXT = {
    "id",
    "email",
    "effective",
    "updated",
    "include",
    "gcm",
    "required",
    "lifetime_days",
    "cookie",
    "consent_relevant",
    "domain",
    "path",
    "name",
}
MARKDOWN_KEYS = {"text", "after", "closing", "description"}


def poison(node: Any, key: str = "", counter: list[int] | None = None, section: bool = False) -> Any:
    """Append a hostile string to every text; Markdown fields (section titles are inline Markdown)
    get Markdown attacks, since raw HTML there is refused before it could reach a page."""
    counter = counter if counter is not None else [0]
    if isinstance(node, dict):
        return {k: (v if k in NO_TEXT else poison(v, k, counter, section)) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, key, counter, section=key == "sections") for v in node]
    if isinstance(node, str):
        counter[0] += 1
        markdown = key in MARKDOWN_KEYS or key in ("items", "quick_reference") or (key == "title" and section)
        pool = MARKDOWN if markdown else PLAIN
        return f"{node} {pool[counter[0] % len(pool)]}"
    return node


HOSTILE_COUNT = len(PLAIN) + len(MARKDOWN)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "valid-tiny", project, dirs_exist_ok=True)
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text(encoding="utf-8").replace("  - policyforge\n", "  - policyforge:\n      demo: true\n"),
        encoding="utf-8",
    )
    source = project / "policy_source" / "policy.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["consent"]["categories"][1]["cookies"] = [
        {"name": "hostile_cookie", "provider": PLAIN[1], "purpose": PLAIN[2], "duration": PLAIN[0]}
    ]
    data["consent"]["banner"] = {
        k: f"Label {PLAIN[i % len(PLAIN)]}"
        for i, k in enumerate(
            [
                "title",
                "text",
                "accept",
                "reject",
                "customize",
                "save",
                "close",
                "policy_link",
                "settings_title",
                "always_on",
                "gpc",
                "changed",
                "changed_link",
            ]
        )
    }
    data = poison(data)
    data["effective"] = data["updated"] = None
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    runner = CliRunner()
    config = str(project / "mkdocs.yml")
    first = runner.invoke(
        main, ["release", "-f", config, "--effective", "2025-03-01", "--backdate", "--summary", PLAIN[0]]
    )
    assert first.exit_code == 0, first.output
    text = source.read_text(encoding="utf-8").replace("Help us improve", "Help us improve more")
    source.write_text(text, encoding="utf-8")
    second = runner.invoke(
        main, ["release", "-f", config, "--effective", "2025-06-01", "--backdate", "--summary", PLAIN[1]]
    )
    assert second.exit_code == 0, second.output
    source.write_text(source.read_text(encoding="utf-8").replace("Thank you.", "Thanks."), encoding="utf-8")
    built = runner.invoke(main, ["build", "-f", config, "--draft"])
    assert built.exit_code == 0, built.output
    return project / "site"


def test_feeds_and_json_still_parse(hostile_site: Path) -> None:
    for name in ("feed.xml",):
        ET.parse(hostile_site / name)
        parsed = feedparser.parse((hostile_site / name).read_bytes())
        assert not parsed.bozo and len(parsed.entries) == 2
    feed = json.loads((hostile_site / "feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"]) == 2
    for data_file in hostile_site.rglob("*.json"):
        json.loads(data_file.read_text(encoding="utf-8"))
    for banner in (hostile_site / "consent").glob("*.js"):  # both stages, each language's first
        script = banner.read_text(encoding="utf-8")
        assert "</script" not in script.lower() and "\u2028" not in script, banner.name


class _Audit(HTMLParser):
    """Collects what a browser would execute: event-handler attributes, script URLs, script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or (
                name in ("href", "src", "action", "formaction", "data-src")
                and value.startswith(("javascript:", "data:text/html"))
            ):
                self.bad.append(f"<{tag} {name}={value[:40]}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "__pwned" in data:
            self.bad.append(f"script body: {data[:60]}")


def test_no_hostile_markup_reaches_html(hostile_site: Path) -> None:
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) >= 6
    seen_hostile_text = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        audit = _Audit()
        audit.feed(text)
        assert audit.bad == [], page
        seen_hostile_text += "__pwned" in text
    assert seen_hostile_text >= 6, "the hostile strings should be shown as text"


def test_no_script_runs_in_any_page_or_banner_layer(
    browser: Browser, hostile_site: Path, serve_dir: Callable[..., str]
) -> None:
    base = serve_dir(hostile_site)
    pages = sorted(
        {"/" + str(p.parent.relative_to(hostile_site)).strip(".") + "/" for p in hostile_site.rglob("index.html")}
    )
    assert "/demo/" in pages and any(p.startswith("/changes/") for p in pages)
    dialogs: list[str] = []
    errors: list[str] = []
    for path in pages:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + path.replace("//", "/"))
        page.wait_for_load_state("load")
        host = page.locator("policyforge-consent")
        if host.count():
            page.evaluate("window.policyforge.consent.show()")
            page.locator("policyforge-consent [role=dialog][data-layer='2']").wait_for()
            for link in page.locator("a").all()[:40]:
                href = link.get_attribute("href") or ""
                assert not href.strip().lower().startswith(("javascript:", "data:")), href
        assert page.evaluate("window.__pwned") is None, path
        page.close()
    assert dialogs == [] and errors == []

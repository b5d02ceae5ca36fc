"""A site per language: `/` in English, `/de/` and `/ar/` with the same URL map, lang/dir, hreflang, search."""

from __future__ import annotations

import fnmatch
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policyforge.mkdocs_plugin import engine
from policyforge.site.csp import inline_scripts, script_hash
from tests.helpers import languages_project

PAGES = (
    "index.html",
    "versions/index.html",
    "versions/2024-01-01/index.html",
    "versions/2024-06-01/index.html",
    "changes/2024-01-01/index.html",
    "changes/2024-06-01/index.html",
    "changes/since/2024-01-01/index.html",
    "feed.xml",
    "feed.json",
    "policy.json",
    "versions.json",
    "versions/2024-06-01/policy.json",
    "search/search_index.json",
    "sitemap.xml",
    "404.html",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-language fixture, built; returns its site/."""
    options = languages_project(tmp_path_factory.mktemp("languages") / "p")
    assert options.config_file is not None
    return engine.build(options.config_file)


class _Page(HTMLParser):
    """What the tests read from a built page: <html> and <body> attributes, head links, ids, selector links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.body: dict[str, str | None] = {}
        self.hreflang: dict[str, str] = {}
        self.selector: dict[str, str] = {}
        self.ids: list[str] = []
        self.scripts: list[str] = []
        self.dialogs: list[str | None] = []  # the accessible names of the page's dialogs
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html = a
        if tag == "body":
            self.body = a
        if tag == "link" and (a.get("rel") or "").split() == ["alternate"] and a.get("hreflang"):
            self.hreflang[str(a["hreflang"])] = str(a["href"])
        if tag == "a" and "md-select__link" in (a.get("class") or ""):
            self.selector[str(a["hreflang"])] = str(a["href"])
        if tag in ("h2", "h3") and a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "script" and a.get("src"):
            self.scripts.append(str(a["src"]))
        if a.get("role") == "dialog":
            self.dialogs.append(a.get("aria-label"))


def _page(site: Path, path: str) -> _Page:
    return _Page((site / path).read_text(encoding="utf-8"))


def test_every_language_has_the_same_url_map(site: Path) -> None:
    for prefix in ("", "de/", "ar/"):
        for path in PAGES:
            assert (site / prefix / path).is_file(), prefix + path
    assert (site / "about" / "index.html").is_file()
    assert not (site / "de" / "about").exists()  # the project's own docs pages stay in the original's site
    assert not (site / "de" / "consent").exists() and not (site / "de" / "_headers").exists()  # one banner, one CSP
    data = json.loads((site / "de" / "policy.json").read_text(encoding="utf-8"))
    assert data["urls"]["policy"] == "https://example.org/privacy/de/"
    feed = (site / "de" / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/privacy/de/changes/2024-06-01/" in feed


def test_same_section_ids_in_every_language(site: Path) -> None:
    ids = {prefix: _page(site, prefix + "index.html").ids for prefix in ("", "de/", "ar/")}
    assert ids[""] == ids["de/"] == ids["ar/"]
    assert {"intro", "account", "usage", "contact", "cookies", "sharing"} <= set(ids[""])


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("", "en", "ltr"), ("de/", "de", "ltr"), ("ar/", "ar", "rtl")]
)
def test_html_lang_and_direction(site: Path, prefix: str, lang: str, direction: str) -> None:
    # The language on <html>, the direction on <body>: where the theme writes them for its `theme.language`.
    for path in ("index.html", "versions/index.html", "changes/2024-06-01/index.html", "404.html"):
        page = _page(site, prefix + path)
        assert page.html.get("lang") == lang and page.body.get("dir") == direction, prefix + path


def test_hreflang_alternates_name_the_same_page_in_every_language(site: Path) -> None:
    base = "https://example.org/privacy/"
    for prefix in ("", "de/", "ar/"):
        page = _page(site, prefix + "versions/2024-01-01/index.html")
        assert page.hreflang == {
            "en": base + "versions/2024-01-01/",
            "de": base + "de/versions/2024-01-01/",
            "ar": base + "ar/versions/2024-01-01/",
            "x-default": base + "versions/2024-01-01/",
        }
    about = _page(site, "about/index.html")  # only the original has it: no equivalents; the selector goes home
    assert about.hreflang == {} and about.selector == {"en": "../about/", "de": "../de/", "ar": "../ar/"}


def test_language_selector_links_to_the_same_page(site: Path) -> None:
    page = _page(site, "de/changes/2024-06-01/index.html")
    assert page.selector == {
        "en": "../../../changes/2024-06-01/",
        "de": "../../../de/changes/2024-06-01/",
        "ar": "../../../ar/changes/2024-06-01/",
    }
    root = _page(site, "index.html")
    assert root.selector == {"en": "./", "de": "de/", "ar": "ar/"}
    names = re.findall(r'class="md-select__link">\s*([^<]+?)\s*<', (site / "index.html").read_text(encoding="utf-8"))
    assert names == ["English", "Deutsch", "العربية"]


def test_banner_is_the_roots_on_every_language(site: Path) -> None:
    """Each language's pages load the root's first stage in their language, which needs no second request."""
    assert _page(site, "de/versions/index.html").scripts.count("../../consent/consent-de.js") == 1
    assert _page(site, "ar/index.html").scripts.count("../consent/consent-ar.js") == 1
    assert _page(site, "index.html").scripts.count("consent/consent.js") == 1
    assert '"lang":"de"' in (site / "consent" / "consent-de.js").read_text(encoding="utf-8")
    headers = (site / "_headers").read_text(encoding="utf-8")
    csp = next(line for line in headers.splitlines() if "script-src" in line)
    for prefix in ("de/", "ar/"):  # the theme's inline scripts differ per language: each is allowed by hash
        scripts = inline_scripts((site / prefix / "index.html").read_text(encoding="utf-8"))
        assert scripts and all(script_hash(body) in csp for body in scripts)


def test_every_languages_hashed_assets_are_cached_as_immutable(site: Path) -> None:
    headers = (site / "_headers").read_text(encoding="utf-8")
    immutable = [
        block.split("\n", 1)[0] for block in headers.strip().split("\n\n") if "immutable" in block.split("\n", 1)[1]
    ]
    for prefix in ("", "de/", "ar/"):
        assets = [p.relative_to(site).as_posix() for p in (site / prefix / "assets").rglob("*") if p.is_file()]
        hashed = [
            a
            for a in assets
            if re.search(r"\.[0-9a-f]{8,}\.(min\.)?(css|js)(\.map)?$", a) and "/javascripts/lunr/" not in a
        ]
        assert len(hashed) >= 3, assets  # policyforge's stylesheet, the theme's stylesheet and bundle
        for asset in hashed:
            assert any(fnmatch.fnmatchcase("/" + asset, rule) for rule in immutable), (asset, immutable)


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("de/", "de"), ("ar/", "ar")])
def test_search_index_uses_the_pages_language(site: Path, prefix: str, lang: str) -> None:
    index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]  # lunr's support of that language (lunr.de, lunr.ar)
    if prefix:  # its stop words and word characters; no stemmer (the theme searches prefixes, which lunr never stems)
        assert index["config"]["pipeline"] == ["stopWordFilter", "trimmer"]
    locations = {doc["location"] for doc in index["docs"]}
    assert "" in locations and not any(loc.startswith("about") for loc in locations if prefix)


def test_page_chrome_speaks_the_pages_language(site: Path) -> None:
    de = (site / "de" / "versions" / "index.html").read_text(encoding="utf-8")
    assert "Versionsverlauf" in de and "Zusammenfassung" in de and "1. Juni 2024" in de
    ar = (site / "ar" / "index.html").read_text(encoding="utf-8")
    assert "تاريخ السريان:" in ar and "آخر تحديث:" in ar
    assert "Cookie-Einstellungen" in (site / "de" / "index.html").read_text(encoding="utf-8")
    assert "Version history" in (site / "versions" / "index.html").read_text(encoding="utf-8")
    # the header's site name is the main document's title in the page's language
    header = re.compile(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)
    assert header.findall(de)[0] == "Tiny App Datenschutzerklärung"
    home = (site / "de" / "index.html").read_text(encoding="utf-8")
    title = "Datenschutzerklärung — Tiny App - Tiny App Datenschutzerklärung"  # like the root's, not doubled
    assert re.findall(r"<title>(.*?)</title>", home) == [title]


@pytest.mark.parametrize(("prefix", "name"), [("", "Search"), ("de/", "Suche"), ("ar/", "إبحث")])
def test_search_dialog_is_named_in_the_pages_language(site: Path, prefix: str, name: str) -> None:
    for path in ("index.html", "versions/index.html", "404.html"):
        assert _page(site, prefix + path).dialogs == [name], prefix + path


def test_plain_mkdocs_build_builds_every_language(tmp_path: Path) -> None:
    import subprocess
    import sys

    options = languages_project(tmp_path / "p")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "-q"], cwd=tmp_path / "p", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    site = options.root / "site"
    assert _page(site, "ar/versions/index.html").body.get("dir") == "rtl"
    assert _page(site, "de/index.html").html.get("lang") == "de"
    assert not list(options.root.glob(".site.*"))  # one build folder, swapped in whole


def test_every_document_of_the_example_in_german(built_example: Path) -> None:
    for path in (
        "de/index.html",
        "de/versions/index.html",
        "de/terms/index.html",
        "de/terms/versions/index.html",
        "de/terms/feed.xml",
        "de/terms/policy.json",
        "de/feeds/all.xml",
        "de/feeds/all.json",
    ):
        assert (built_example / path).is_file(), path
    terms = _page(built_example, "de/terms/index.html")
    assert terms.html.get("lang") == "de"
    assert terms.hreflang["en"] == "https://privacy.gptimage2ai.com/terms/"
    assert terms.hreflang["de"] == "https://privacy.gptimage2ai.com/de/terms/"
    assert terms.selector == {"en": "../../terms/", "de": "../../de/terms/"}
    data = json.loads((built_example / "de" / "terms" / "policy.json").read_text(encoding="utf-8"))
    assert data["language"] == "de" and data["urls"]["policy"] == "https://privacy.gptimage2ai.com/de/terms/"

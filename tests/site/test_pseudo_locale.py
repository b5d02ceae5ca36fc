"""A pseudo-locale build of the example: every text of the site's own on its German pages comes from the strings of
the page's language, none from English (issue 22).

The strings layer is swapped for a pseudo-locale: each German text is wrapped in ⟦…⟧ and each English one in ⟪…⟫.
The example is built with it; then on every page of its German site

- no English string of the site's own appears anywhere in the body (⟪ never does, not even in an element marked
  as the original's language: the words around the original's changes are the page's);
- every text policyforge's templates write into the page (the article, the cookie settings link), and every
  label (``title``, ``aria-label``), is pseudo-localised, unless it is the policy's own content: the translated
  policy text (``pf-body``, ``pf-preamble``, ``pf-closing``, the quick reference's items, section headings, the
  document's title as the page heading), or a part marked with the original's language (``lang="en"``: release
  summaries, the redline's words, untranslated parts). Dates (``<time>``, Babel's), code and identifiers are
  not words of the site.

The theme's chrome (header, navigation, footer, the ``<head>``'s feed links, the 404 page) is checked too: the
words policyforge hands the theme (the palette toggles' names, the footer's generator line and settings link, the
404 heading, the headings' permanent links, the feeds' titles) are pseudo-localised, and no other text or label of
the page is one of the theme's English texts: Material's English labels (its ``partials/languages/en.html``) that
its German ones differ from, and the English it writes without a label (the footer's "Made with", the 404 heading).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest
from babel import Locale

from policyforge.mkdocs_plugin import engine
from policyforge.site import strings as site_strings
from policyforge.site.inject import settings_link_html
from policyforge.site.policy_page import policy_title
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from policyforge.translation.apply import translate_policy
from policyforge.translation.read import translation_problems
from tests.conftest import ROOT, copy_project

PAGE_LANG = "de"
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
POLICY_PARTS = frozenset({"pf-body", "pf-preamble", "pf-closing"})  # the policy's text (site words inside: see below)
NOT_WORDS = frozenset({"script", "style", "time", "code", "svg"})
LABELS = ("title", "aria-label", "alt", "placeholder")
GAP = "\x00"
THEME_TEXTS = Path(material.__file__).parent / "templates" / "partials" / "languages"
# English the theme and the example's mkdocs.yml write without one of Material's labels (parts of a text suffice).
HARD_CODED = (
    "Made with",
    "Not found",
    "Switch to dark mode",
    "Switch to light mode",
    "Permanent link",
    "Version history",
)


def pseudo_strings(real: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Every text in German wrapped in ⟦…⟧, in English in ⟪…⟫ (placeholders inside, filled in as usual)."""
    return {
        key: {**texts, PAGE_LANG: f"⟦{texts.get(PAGE_LANG, texts['en'])}⟧", "en": f"⟪{texts['en']}⟫"}
        for key, texts in real.items()
    }


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fake = pseudo_strings(site_strings.strings())
    settings_link_html.cache_clear()  # rendered once per language and kept: not with the real strings here
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(site_strings, "strings", lambda: fake)
            return engine.build(copy_project(tmp_path_factory.mktemp("pseudo")))
    finally:
        settings_link_html.cache_clear()


def document_titles() -> set[str]:
    """The German titles of the example's documents (their pages' headings: the policy's content)."""
    options = read_project(ROOT / "mkdocs.yml")
    titles = set()
    for source in ("policy_source", "terms_source"):
        doc = options.model_copy(update={"source": ROOT / source})
        policy = load_policy(doc.policy_file)
        found, errors, _ = translation_problems(doc, policy)
        assert not errors
        titles.add(policy_title(translate_policy(policy, found[PAGE_LANG]).policy))
    return titles


class SiteWords(HTMLParser):
    """The text and labels of a page that policyforge's templates write, outside the policy's own content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, set[str]]] = []  # tag, mode (check, skip, outside), classes
        self.text: list[str] = []
        self.labels: list[str] = []

    def _mode(self, tag: str, attrs: dict[str, str | None], classes: set[str]) -> str:
        mode = self.stack[-1][1] if self.stack else "outside"
        parent = self.stack[-1][2] if self.stack else set()
        if tag == "article" or "pf-cookie-settings" in classes:
            mode = "check"
        if tag in NOT_WORDS:
            return "skip" if mode == "check" else mode
        lang = attrs.get("lang")
        if mode == "check" and (
            (lang and lang != PAGE_LANG)  # marked as the original's
            or classes & POLICY_PARTS
            or (tag == "ul" and "pf-quickref" in parent)
            or (re.fullmatch(r"h[2-6]", tag) and not re.match(r"(diff|pf)-", attrs.get("id") or ""))  # a section
        ):
            return "skip"
        if mode == "skip" and (lang == PAGE_LANG or tag == "thead" or "pf-translation-note" in classes):
            return "check"  # the page's words inside the policy's: screen-reader text, cookie table heads, notices
        return mode

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        mode = self._mode(tag, values, classes)
        if mode == "check":
            self.labels += [value for name in LABELS if (value := values.get(name))]
        if mode != "check":
            self.text.append(GAP)
        if tag not in VOID:
            self.stack.append((tag, mode, classes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass
        self.text.append(GAP)

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] == "check":
            self.text.append(data)


def unmarked(text: str) -> list[str]:
    """The stretches of ``text`` with letters outside ⟦…⟧ (nested: a link's text inside a sentence)."""
    before = None
    while before != text:
        before, text = text, re.sub(r"⟦[^⟦⟧]*⟧", GAP, text)
    return [part.strip() for part in text.split(GAP) if re.search(r"[^\W\d_]", part)]


def site_words(page: str) -> list[str]:
    """What a page says in words of the site's own that are not in the page's (pseudo) language."""
    parser = SiteWords()
    parser.feed(page)
    return unmarked("".join(parser.text)) + [bad for label in parser.labels for bad in unmarked(label)]


def german_pages(site: Path) -> list[Path]:
    pages = sorted(site.joinpath(PAGE_LANG).rglob("index.html"))
    assert len(pages) >= 10, pages  # the policy, terms, versions, archived texts, change pages
    return [*pages, site / PAGE_LANG / "404.html"]


def theme_texts(lang: str) -> dict[str, str]:
    """Material's labels in ``lang``: the ``"key": "value"`` pairs of its language partial."""
    partial = (THEME_TEXTS / f"{lang}.html").read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*"([\w.]+)": "((?:[^"\\]|\\.)*)",?$', partial, re.MULTILINE))


def theme_english() -> frozenset[str]:
    """Material's English labels that its German ones differ from (its settings, such as the search's, left out)."""
    english, german = theme_texts("en"), theme_texts(PAGE_LANG)
    assert len(english) > 40 and english["search.placeholder"] == "Search"
    return frozenset(
        value
        for key, value in english.items()
        if value != german.get(key) and key not in ("language", "direction") and not key.startswith("search.config")
    )


class ChromeWords(HTMLParser):
    """Every text of a page outside its ``<article>``, and every label, ``<head>`` included (its feed links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.words += [value.strip() for name, value in attrs if name in LABELS and value and value.strip()]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "article" not in self.stack and not NOT_WORDS & set(self.stack) and data.strip():
            self.words.append(data.strip())


def theme_words_in_english(page: str, english: frozenset[str]) -> list[str]:
    """The texts and labels of ``page`` (outside what is pseudo-localised) that are the theme's English."""
    before = None
    while before != page:  # policyforge's words, marked, with any markup inside them (a link in a sentence)
        before, page = page, re.sub(r"⟦[^⟦⟧]*⟧", " ", page)
    parser = ChromeWords()
    parser.feed(page)
    return [word for word in parser.words if word in english or any(text in word for text in HARD_CODED)]


def test_the_german_pages_carry_no_english_of_the_sites_own(pseudo_site: Path) -> None:
    for path in german_pages(pseudo_site):
        page = path.read_text(encoding="utf-8")
        assert "⟪" not in page, (path, re.findall(r"⟪[^⟫]*⟫", page)[:5])


def test_the_theme_chrome_of_the_german_pages_has_no_english(pseudo_site: Path) -> None:
    english = theme_english()
    found = {}
    for path in german_pages(pseudo_site):
        if left := theme_words_in_english(path.read_text(encoding="utf-8"), english):
            found[str(path.relative_to(pseudo_site))] = left
    assert found == {}
    page = (pseudo_site / PAGE_LANG / "index.html").read_text(encoding="utf-8")
    for key in ("chrome_to_dark", "chrome_to_light", "chrome_permalink"):  # what policyforge gives the theme
        assert f'title="⟦{site_strings.text(key, PAGE_LANG)}⟧"' in page
    assert "⟦Erstellt mit <a href=" in page and ": ⟦Versionsverlauf⟧" in page
    assert "<h1>⟦404 – Seite nicht gefunden⟧</h1>" in (pseudo_site / PAGE_LANG / "404.html").read_text(encoding="utf-8")
    feed = (pseudo_site / PAGE_LANG / "feed.xml").read_text(encoding="utf-8")  # the feed its pages link to
    assert '<title xml:lang="de">Datenschutzerklärung — GPT Image 2: ⟦Versionsverlauf⟧</title>' in feed


def _without(text: str, names: list[str]) -> str:
    """``text`` without ``names`` (a country's name comes from CLDR in the page's language, not from strings.yaml)."""
    for name in names:
        text = text.replace(name, " ")
    return text


def test_every_text_of_the_sites_own_is_in_the_pages_language(pseudo_site: Path) -> None:
    titles = document_titles()
    countries = sorted(Locale(PAGE_LANG).territories.values(), key=len, reverse=True)  # CLDR's, in the page's
    found = {}
    for path in german_pages(pseudo_site):
        words = [text for text in site_words(path.read_text(encoding="utf-8")) if text.rstrip("¶") not in titles]
        left = [text for text in words if re.search(r"[^\W\d_]", _without(text, countries))]
        if left:
            found[str(path.relative_to(pseudo_site))] = left
    assert found == {}
    changes = (pseudo_site / PAGE_LANG / "changes" / "2025-09-01" / "index.html").read_text(encoding="utf-8")
    assert "⟦Was sich geändert hat⟧" in changes and "⟦Unveränderte Abschnitte: " in changes  # the redline's words
    assert '<div class="pf-redline" lang="en" dir="ltr">' in changes  # ... around the original's words


def test_the_check_sees_english_where_it_is() -> None:
    """The checker itself: unmarked words outside the policy's content are found, the policy's are not."""
    page = (
        '<body><header>Theme</header><article><h1>⟦Titel⟧</h1><p class="x">⟦Satz mit <a href="#">⟦Link⟧</a>⟧ and '
        'English</p><div class="pf-body"><p>Richtlinientext</p><table><thead><tr><th>Provider</th></tr></thead>'
        '</table></div><span lang="en">Original words</span><time>1. März</time><code>_ga</code>'
        '<nav aria-label="Versions"></nav><h2 id="usage">Nutzung</h2></article></body>'
    )
    assert site_words(page) == ["and English", "Provider", "Versions"]
    chrome = (
        '<head><link rel="alternate" title="Richtlinie: Version history"></head><body><header><label title="Suche">'
        'Search</label><button aria-label="⟦Modus⟧"></button></header><article><p>Search</p><a title="Permanent link">'
        "</a></article><footer>⟦Erstellt mit <a>Material for MkDocs</a>⟧ Made with <a>Material for MkDocs</a></footer>"
    )
    assert theme_words_in_english(chrome, theme_english()) == [
        "Richtlinie: Version history",
        "Search",
        "Permanent link",
        "Made with",
    ]

"""``policyforge import`` round trip: a document with every construct, imported and built, reads word for word
as its source (0 missing, 0 extra), from Markdown and from HTML."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from policyforge.cli import main
from policyforge.source.markdown_text import md_to_html
from tests.conftest import FIXTURES, invoke

DOC = FIXTURES / "import" / "every-construct.md"
MKDOCS = (
    "site_name: Imported\nsite_url: https://policy.example/\ntheme:\n  name: material\n  font: false\n"
    "plugins:\n  - policyforge\n"
)
VOID = {"br", "hr", "img", "meta", "link", "input"}
BLOCKS = {
    "br",
    "p",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "div",
    "section",
    "aside",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "body",
    "head",
    "title",
}


class _Words(HTMLParser):
    """The words of an HTML fragment, skipping elements by tag or class (page title, meta line, numbers)."""

    def __init__(self, skip_tags: set[str], skip_classes: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags, self.skip_classes = skip_tags, skip_classes
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.text.append(" ")
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(tag in self.skip_tags or bool(classes & self.skip_classes))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in VOID:
            self.stack.pop()
        if tag in BLOCKS:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if not any(self.stack):
            self.text.append(data)


def words(fragment: str, *, skip_tags: set[str] = frozenset(), skip_classes: set[str] = frozenset()) -> list[str]:
    parser = _Words(set(skip_tags), set(skip_classes))
    parser.feed(fragment)
    return [w for w in "".join(parser.text).split() if w != "↩︎"]


def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def built_words(config: Path) -> list[str]:
    result = invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 0, result.output
    page = (config.parent / "site" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    return words(article, skip_tags={"h1"}, skip_classes={"pf-meta", "pf-num", "headerlink"})


def source_words() -> list[str]:
    return words(md_to_html(DOC.read_text(encoding="utf-8")), skip_tags={"h1"})


def assert_same_words(page: list[str], source: list[str]) -> None:
    missing = Counter(source) - Counter(page)
    extra = Counter(page) - Counter(source)
    assert (sum(missing.values()), sum(extra.values())) == (0, 0), f"missing {missing}, extra {extra}"


def test_markdown_round_trip_every_word(tmp_path: Path) -> None:
    config = project(tmp_path)
    result = invoke(main, ["import", "-f", str(config), str(DOC), "--controller-name", "Northwind Traders Ltd"])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output and "6 section(s)" in result.output
    page = built_words(config)
    source = source_words()
    assert len(source) > 150
    assert_same_words(page, source)
    html = (config.parent / "site" / "index.html").read_text(encoding="utf-8")
    # the constructs survive as constructs, not as text
    for fragment in (
        "<table>",
        '<ol start="3">',
        "<em>Northwind Traders Ltd</em>",
        "Our address:<br",
        'href="https://northwind.example/terms(2024).pdf"',
        'href="https://ico.example/complaints"',
        "<code>10 years</code>",
        'class="footnote-ref"',
        'id="your-rights-retention"',
    ):
        assert fragment in html, fragment
    assert html.count("<ul>") >= 4  # three nested levels and the list inside the ordered list


def test_html_round_trip_every_word(tmp_path: Path) -> None:
    """The HTML version: every word a browser shows of it (but its h1, the page title) is on the built page."""
    config = project(tmp_path)
    source = FIXTURES / "import" / "every-construct.html"
    result = invoke(main, ["import", "-f", str(config), str(source)])
    assert result.exit_code == 0, result.output
    lines = source.read_text(encoding="utf-8").splitlines()
    logo = next(n for n, line in enumerate(lines, start=1) if "logo.png" in line)
    script = next(n for n, line in enumerate(lines, start=1) if "<script>" in line)
    assert f"{source}:{logo}: image 'logo.png' (alt text 'Northwind logo') left out" in result.output
    assert f"{source}:{script}: a script <script> has no text a policy can show: left out" in result.output
    text = source.read_text(encoding="utf-8")
    assert_same_words(built_words(config), words(text, skip_tags={"h1", "head", "script"}))


def test_footnotes_of_several_sections_keep_to_their_section(tmp_path: Path) -> None:
    """Each section's body is rendered on its own, with its own footnotes: their ids must not clash."""
    import re

    config = project(tmp_path)
    doc = tmp_path / "notes.md"
    doc.write_text(
        "# Acme Privacy Policy\n\n## Data\n\nWe keep it.[^keep]\n\n## Rights\n\nAsk us.[^ask]\n\n"
        "[^keep]: For ten years.\n[^ask]: In writing.\n",
        encoding="utf-8",
    )
    assert invoke(main, ["import", "-f", str(config), str(doc)]).exit_code == 0
    assert invoke(main, ["build", "-f", str(config)]).exit_code == 0
    page = (config.parent / "site" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    ids = re.findall(r'\bid="([^"]+)"', article)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for section, note in (("data", "For ten years."), ("rights", "In writing.")):
        body = article[article.index(f'data-section="{section}"') :]
        body = body[: body.index("</div>")]
        href = re.search(r'class="footnote-ref"><a href="#([^"]+)"', body)
        assert href is not None and f'id="{href.group(1)}"' in body and note in body

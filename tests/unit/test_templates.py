"""HTML comes from templates, Markdown output is sanitised, CSP hashes come from an HTML parser."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policyforge.banner.snippet import embed_tag
from policyforge.errors import BuildError
from policyforge.site.csp import inline_scripts, script_hash, write_headers
from policyforge.site.templating import render
from policyforge.site.urls import check_url
from policyforge.source.markdown_text import md_to_html
from tests.conftest import ROOT

# An HTML tag (opening or closing) inside a string: "<p>", "</div>", '<a href="'.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:[\s/>]|$)")
# The only string literals that look like tags, and why they are not HTML being built:
PROJECT_COMMANDS = "policyforge/cli/project.py"  # what build and widget print to the terminal
_ALLOWED = {
    ("policyforge/mkdocs_plugin/theme.py", "<script"),  # counting the script tags of a built page
    ("policyforge/importer/document.py", None),  # the importer reads documents' HTML, it writes Markdown
    ("policyforge/importer/html_to_md.py", None),
    ("policyforge/source/markdown_text.py", "<p>"),  # unwrapping Markdown's own paragraph
    ("policyforge/source/markdown_text.py", "</p>"),
    ("policyforge/audit/report.py", None),  # a finding's message names the banner's element
    (PROJECT_COMMANDS, "Where to write the schema (default: <source>/policy.schema.json)."),
    (PROJECT_COMMANDS, "Embed the consent banner in your product, first in <head> (before any Google tag):"),
    (
        PROJECT_COMMANDS,
        " and their second stage; serve the folder from your site and embed the file of the page's language first "
        "in <head> (before any Google tag):",
    ),
    ("policyforge/source/yaml_reader.py", None),  # PyYAML's token names ("<block end>") in messages
    ("policyforge/source/yaml_errors.py", None),
    ("policyforge/source/markdown_text.py", r"<pre\b.*?</pre>"),  # finding code blocks in the output
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_python_module_builds_html_from_strings() -> None:
    found = []
    for path in sorted((ROOT / "policyforge").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        rel = path.relative_to(ROOT).as_posix()
        assert rel != "policyforge/site/templating.py" or "autoescape=True" in path.read_text(encoding="utf-8")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and _TAG.search(node.value)
                and (rel, node.value) not in _ALLOWED
                and (rel, None) not in _ALLOWED
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:60]!r}")
    assert found == [], "HTML belongs in policyforge/site/templates/"


def test_the_check_above_sees_an_f_string_tag() -> None:
    tree = ast.parse("x = f'<a href=\"{url}\">'")
    assert any(isinstance(n, ast.Constant) and _TAG.search(str(n.value)) for n in ast.walk(tree))


def test_templates_escape_what_they_are_given() -> None:
    assert render("macros.html") == ""  # macros only
    head = render("policy/meta.html", policy=type("P", (), {"effective": None, "updated": None})(), links="<i>")
    assert "&lt;i&gt;" in head and "not yet in effect" in head
    html = embed_tag('x" onload="alert(1)', "<b>", 'f("&")')
    assert html == (
        '<script>f("&")</script>\n'  # a script's text as it is: its bytes are what the CSP hash allows
        '<script async src="x&#34; onload=&#34;alert(1)" integrity="&lt;b&gt;" crossorigin="anonymous"></script>'
    )
    with pytest.raises(ValueError, match="must not contain"):
        embed_tag("x", "y", '"</script><script>alert(1)//"')


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]


@pytest.mark.parametrize(
    "text",
    [
        "Hi <script>alert(1)</script> there",
        'See <img src="x.png" onerror="alert(1)"> this',
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a> and [md](javascript:alert(1))',
        '<p onclick="alert(1)" style="position:fixed" id="__config">text</p>',
        "<iframe src=https://evil.example></iframe><svg onload=alert(1)></svg><style>p{}</style>",
    ],
)
def test_sanitiser_removes_scripts_handlers_and_script_urls(text: str) -> None:
    html = md_to_html(text)
    seen = _Elements()
    seen.feed(html)
    assert not seen.tags & {"script", "style", "iframe", "svg"}, html
    for _tag, name, value in seen.attrs:
        assert not name.startswith("on") and name not in ("style", "id"), html
        assert not value.replace(" ", "").lower().startswith("javascript:"), html
    assert "alert(1)</script>" not in html and "p{}" not in html  # script and style bodies go too


def test_sanitiser_keeps_ordinary_html() -> None:
    html = md_to_html(
        'A <abbr title="General Data Protection Regulation">GDPR</abbr> table:\n\n'
        '<table><tr><th scope="col">Data</th></tr><tr><td colspan="2">Email</td></tr></table>\n\n'
        "Write to privacy@example.com or [us](https://example.com/contact?a=1&b=2)."
    )
    assert '<abbr title="General Data Protection Regulation">GDPR</abbr>' in html
    assert '<th scope="col">Data</th>' in html and '<td colspan="2">Email</td>' in html
    assert '<a href="mailto:privacy@example.com">privacy@example.com</a>' in html
    assert '<a href="https://example.com/contact?a=1&amp;b=2">us</a>' in html


def test_inline_scripts_are_found_by_an_html_parser() -> None:
    page = (
        '<html><head><script data-src="x">inline()</script><script src="a.js"></script>'
        '<SCRIPT type="module">mod()</SCRIPT><script type="application/json">{"a": 1}</script>'
        '<script type="text/plain" data-consent="analytics">gated()</script>'
        "<script>if (a < b) { x('</p>') }</script><script>  </script></head></html>"
    )
    assert inline_scripts(page) == ["inline()", "mod()", "if (a < b) { x('</p>') }"]


def test_only_theme_scripts_are_allowed_and_others_are_reported(tmp_path: Path) -> None:
    theme = "var palette=1"
    (tmp_path / "index.html").write_text(f"<script>{theme}</script><p>policy</p>", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text(
        f'<script>{theme}</script><script data-src="x">inline()</script>', encoding="utf-8"
    )
    result = write_headers(tmp_path, [theme])
    assert script_hash(theme) in result.csp and script_hash("inline()") not in result.csp
    assert "unsafe-inline" not in result.csp
    assert [(b.page, b.body) for b in result.blocked] == [("docs/index.html", "inline()")]
    assert "docs/index.html" in str(result.blocked[0]) and "extra_javascript" in str(result.blocked[0])
    headers = (tmp_path / "_headers").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {result.csp}" in headers


def test_known_answer_hash() -> None:
    # echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        'https://x.example/"><script>alert(1)</script>',
        "data:text/html,<b>",
        "ftp://x.example/",
        "//x.example/",
        "https://",
        "https://x.example/a b/",
        "https://x.example/\\x",
        "JAVASCRIPT://x.example/%0a",
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(BuildError) as info:
        check_url(url)
    assert "site_url" in str(info.value) and info.value.hint


def test_good_urls_pass() -> None:
    for url in ("https://privacy.example.com/", "http://127.0.0.1:8000/", "https://x.example/a%20b/?q=1&r=2#s"):
        assert check_url(url) == url
    assert check_url("https://x.example/changes/{revision}/", "--changes-url", placeholder=True)
    with pytest.raises(BuildError):
        check_url("https://x.example/changes/{revision}/")

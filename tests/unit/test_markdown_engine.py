"""Policy text renders as CommonMark with GitHub's table extension renders it.

Each expected output is the one given by the CommonMark spec (0.31.2) or the GFM spec (tables)
for that input; both sides are compared after removing the whitespace between tags (the site
writes each text as one line), with column alignment written one way and void elements in HTML
syntax (``<br>``: the output passes an HTML sanitiser).
"""

from __future__ import annotations

import re

import pytest

from policyforge.source.markdown_text import md_to_html


def normal(html: str) -> str:
    html = re.sub(r'<div class="pf-table"[^>]*>(.*?)</div>', r"\1", html, flags=re.S)
    html = re.sub(r' (?:class="pf-align-|align="|style="text-align:)(\w+)"', r" align=\1", html)
    html = re.sub(r"\s*/>", ">", html)  # the spec's <br /> and the sanitiser's HTML <br> are one element
    html = re.sub(r"\s+", " ", html.strip())
    return re.sub(r"\s*(</?(?:ul|ol|li|p|table|thead|tbody|tr|th|td|blockquote)\b[^>]*>)\s*", r"\1", html)


CASES = {
    # CommonMark example 294: sublists indented by 2 spaces.
    "nested by 2 spaces": (
        "- foo\n  - bar\n    - baz\n      - boo",
        "<ul>\n<li>foo\n<ul>\n<li>bar\n<ul>\n<li>baz\n<ul>\n<li>boo</li>\n</ul>\n</li>\n</ul>\n"
        "</li>\n</ul>\n</li>\n</ul>",
    ),
    "nested by 4 spaces": (
        "- a\n    - b\n        - c",
        "<ul>\n<li>a\n<ul>\n<li>b\n<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>",
    ),
    # CommonMark example 304: a list can interrupt a paragraph.
    "list right after a paragraph line": ("Foo\n- bar\n- baz", "<p>Foo</p>\n<ul>\n<li>bar</li>\n<li>baz</li>\n</ul>"),
    # CommonMark example 305: ... but only an ordered list starting with 1.
    "ordered list interrupting must start at 1": (
        "The number of windows in my house is\n14.  The number of doors is 6.",
        "<p>The number of windows in my house is\n14.  The number of doors is 6.</p>",
    ),
    # CommonMark example 266: the start number is kept.
    "ordered list starting at 123": ("123. ok", '<ol start="123">\n<li>ok</li>\n</ol>'),
    "ordered list starting at 0": ("0. ok", '<ol start="0">\n<li>ok</li>\n</ol>'),
    # CommonMark example 633: backslash hard line break.
    "backslash hard break": ("foo\\\nbar", "<p>foo<br />\nbar</p>"),
    # CommonMark example 306 (loose list): items in paragraphs.
    "loose list": ("- a\n\n- b", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    # GFM example 198: a pipe table.
    "pipe table": (
        "| foo | bar |\n| --- | --- |\n| baz | bim |",
        "<table>\n<thead>\n<tr>\n<th>foo</th>\n<th>bar</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>baz</td>\n<td>bim</td>\n</tr>\n</tbody>\n</table>",
    ),
    # GFM example 199: alignment, no outer pipes.
    "table alignment": (
        "| abc | defghi |\n:-: | -----------:\nbar | baz",
        '<table>\n<thead>\n<tr>\n<th align="center">abc</th>\n<th align="right">defghi</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td align="center">bar</td>\n<td align="right">baz</td>\n'
        "</tr>\n</tbody>\n</table>",
    ),
    # GFM example 200: escaped pipes inside cells, inline Markdown in cells.
    "escaped pipes in cells": (
        "| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |",
        "<table>\n<thead>\n<tr>\n<th>f|oo</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>b <code>|</code> az</td>\n</tr>\n<tr>\n<td>b <strong>|</strong> im</td>\n</tr>\n"
        "</tbody>\n</table>",
    ),
    # GFM example 201: the table ends at the first blank line or other block.
    "table ends at a block": (
        "| abc | def |\n| --- | --- |\n| bar | baz |\n> bar",
        "<table>\n<thead>\n<tr>\n<th>abc</th>\n<th>def</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>bar</td>\n<td>baz</td>\n</tr>\n</tbody>\n</table>\n<blockquote>\n<p>bar</p>\n"
        "</blockquote>",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_renders_as_commonmark_and_gfm_tables(name: str) -> None:
    source, expected = CASES[name]
    assert normal(md_to_html(source)) == normal(expected)


def test_tables_scroll_in_a_focusable_region_and_use_no_inline_style() -> None:
    out = md_to_html("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert out.startswith('<div class="pf-table" role="region" aria-label="Table" tabindex="0"><table>')
    assert "style=" not in out and 'class="pf-align-left"' in out and 'class="pf-align-right"' in out


def test_links_with_parentheses_autolinks_and_emails() -> None:
    out = md_to_html("See [the statement](/docs/statement(v2).pdf), <https://example.org> or write to dpo@example.org.")
    assert '<a href="/docs/statement(v2).pdf">the statement</a>' in out
    assert '<a href="https://example.org">https://example.org</a>' in out
    assert '<a href="mailto:dpo@example.org">dpo@example.org</a>.' in out


def test_unsafe_link_targets_stay_text() -> None:
    assert "<a" not in md_to_html("[x](javascript:alert(1)) [y](data:text/html,hi)")


def test_footnotes_have_ids_unique_per_text() -> None:
    out = md_to_html("A claim.[^1]\n\n[^1]: The source.", doc_id="rights")
    assert 'href="#fn-rights-1"' in out and 'id="fn-rights-1"' in out and "The source." in out


def test_code_blocks_keep_their_lines_in_one_line_of_html() -> None:
    out = md_to_html("```\nline 1\nline 2\n```")
    assert "\n" not in out and "line 1&#10;line 2" in out


def test_link_base_resolves_site_relative_links_only() -> None:
    out = md_to_html(
        "[a](/docs/statement(v2).pdf) [b](//cdn.example/x) [c](https://other.example/y) [d](#top) "
        "![logo](/img/logo.png)",
        link_base="https://www.example.com",
    )
    assert '<a href="https://www.example.com/docs/statement(v2).pdf">a</a>' in out
    assert '<a href="//cdn.example/x">b</a>' in out and '<a href="https://other.example/y">c</a>' in out
    assert '<a href="#top">d</a>' in out and 'src="https://www.example.com/img/logo.png"' in out
    assert '<a href="/docs/statement(v2).pdf">a</a>' in md_to_html("[a](/docs/statement(v2).pdf)")

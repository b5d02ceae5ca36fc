"""Generated pages hand MkDocs their finished HTML: the same page as Markdown would make it, faster."""

from __future__ import annotations

import markdown
import pytest

from policyforge.errors import BuildError
from policyforge.mkdocs_plugin.prerendered import PrerenderedBlocks
from policyforge.site import build as site
from policyforge.source.options import read_project
from tests.conftest import ROOT


def _convert(text: str) -> tuple[str, list[object]]:
    """Python-Markdown with the example's extensions, as MkDocs runs it."""
    md = markdown.Markdown(
        extensions=["attr_list", "admonition", "toc"], extension_configs={"toc": {"permalink": True}}
    )
    return md.convert(text), list(md.toc_tokens)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    inputs = site.prepare(read_project(ROOT / "mkdocs.yml"))
    out = site.generate_pages(inputs)
    out.update({"de/" + p: t for p, t in site.generate_pages(site.language_inputs(inputs, "de")).items()})
    return {path: text.split("---", 2)[2] for path, text in out.items()}  # without the front matter


def test_every_generated_page_is_the_same_html_and_table_of_contents(pages: dict[str, str]) -> None:
    blocks = PrerenderedBlocks()
    for path, text in pages.items():
        reduced = blocks.markdown(path, text)
        assert reduced is not None and len(reduced) < len(text) / 2, path  # the finished HTML skips Markdown
        html, toc = _convert(reduced)
        assert (blocks.content(path, html), toc) == _convert(text), path


def test_an_element_across_a_blank_line_sends_the_page_through_markdown_whole() -> None:
    text = '# T\n\n<div class="pf-body"><pre><code>a\n\nb</code></pre></div>\n\n## S {#s}\n'
    assert PrerenderedBlocks().markdown("index.md", text) is None
    inline = "# T\n\n<span>inline</span> text\n\n<p>done<br>here</p>\n"  # inline HTML stays a Markdown paragraph
    blocks = PrerenderedBlocks()
    reduced = blocks.markdown("index.md", inline)
    assert reduced is not None and "<span>inline</span> text" in reduced and "<p>done" not in reduced
    html, _ = _convert(reduced)
    assert blocks.content("index.md", html) == _convert(inline)[0]


def test_a_lost_block_is_an_error_not_a_silent_gap() -> None:
    blocks = PrerenderedBlocks()
    assert blocks.markdown("index.md", "# T\n\n<p>kept</p>\n") is not None
    with pytest.raises(BuildError, match=r"index\.md"):
        blocks.content("index.md", "<h1>T</h1>")
    assert blocks.content("other.md", "<p>x</p>") is None  # a page not set aside is left alone

"""The document importer: HTML and DOCX to Markdown, section ids, and the notes of what did not carry over."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from policyforge.cli import main
from policyforge.importer import Details, import_text, slug
from policyforge.importer.html_to_md import html_to_markdown
from policyforge.importer.notes import STRUCK
from policyforge.source.markdown_text import md_to_html
from tests.conftest import invoke


def messages(data: str, kind: str = "markdown") -> list[tuple[int, str]]:
    return [(n.line, n.message) for n in import_text(data.encode(), kind).notes]


def test_ids_are_slugs_made_unique_by_their_parent() -> None:
    doc = (
        "# ACME Privacy Notice\n\n## Your Rights & Choices\n\n### Contact\n\nx\n\n## Cookies\n\n### Contact\n\ny\n\n"
        "### Contact\n\nz\n\n## Données personnelles\n\nw\n\n## pf-internal\n\nv\n"
    )
    policy = import_text(doc.encode(), "markdown").policy
    ids = [(s.id, [c.id for c in s.sections]) for s in policy.sections]
    assert ids == [
        ("your-rights-choices", ["contact"]),
        ("cookies", ["cookies-contact", "cookies-contact-2"]),
        ("donnees-personnelles", []),
        ("s-pf-internal", []),
    ]
    assert slug("A *very* `long` title " + "word " * 30).startswith("a-very-long-title-word")
    assert len(slug("word " * 40)) <= 60
    assert policy.title == "ACME Privacy Notice" and policy.product == "ACME"


def test_ids_written_in_headings_are_kept_and_struck_text_is_flagged() -> None:
    doc = "# T Privacy Policy\n\n## Cookies {#our-cookies}\n\nWe ~~never~~ rarely use them.\n\n## Data {#pf-x}\n\nx\n"
    imported = import_text(doc.encode(), "markdown")
    assert [(s.id, s.title) for s in imported.policy.sections] == [("our-cookies", "Cookies"), ("data", "Data")]
    assert imported.policy.sections[0].text == "We ~~never~~ rarely use them."
    assert (5, STRUCK) in [(n.line, n.message) for n in imported.notes]


def test_html_tables_lists_and_what_is_reported() -> None:
    html = (
        '<table>\n<tr><td>a</td><td colspan="2">b</td></tr>\n<tr><td rowspan="2">c</td><td>d</td>'
        '<td><ul><li>e</li></ul></td></tr>\n</table>\n<p>x<sup>2</sup> and <s>old</s></p>\n<ol start="7">'
        "<li>seven</li></ol><ol><li>one</li></ol>\n<dl><dt>Term</dt><dd>Meaning</dd></dl>\n"
        "<ul><li><h3>Inside</h3></li></ul>\n<!-- internal -->\n<p>1. not a list; *not emphasis* &lt;b&gt;</p>"
    )
    out = html_to_markdown(html)
    notes = [(n.line, n.message) for n in out.notes]
    assert (2, "table without a header row: its first row became the header row") in notes
    assert (2, "a cell spanning 2 columns is followed by 1 empty cell(s)") in notes
    assert (3, "a cell spanning several rows is shown in its first row only") in notes
    assert (3, "a list, quote or table inside a table cell kept as plain text in the cell") in notes
    assert (5, "superscript <sup> kept as plain text") in notes
    assert (5, STRUCK) in notes and "~~old~~" in out.markdown
    assert (7, "definition list: terms kept as bold paragraphs, definitions as paragraphs") in notes
    assert (8, "heading <h3> inside a list, quote or table kept as bold text") in notes
    assert (9, "HTML comment left out (readers never see it)") in notes
    rendered = md_to_html(out.markdown)
    assert '<ol start="7"><li>seven</li></ol><ol><li>one</li></ol>' in rendered  # two lists stay two
    assert "<p>1. not a list; *not emphasis* &lt;b&gt;</p>" in rendered
    assert "<td>e</td>" in rendered and "<strong>Term</strong>" in rendered


def test_raw_html_in_markdown_is_converted_and_reported() -> None:
    doc = (
        "# P\n\n## A\n\nLine one<br>line two with <b>bold</b>, <span class=x>span</span> and "
        '<a href="https://x.example/a">a link</a>.\n\n<div>\n<p>Block <em>HTML</em></p>\n</div>\n\n'
        "- item\n\n  ## Nested heading\n"
    )
    imported = import_text(doc.encode(), "markdown")
    section = imported.policy.sections[0]
    assert section.text is not None
    assert "Line one\\\nline two with **bold**, span and [a link](https://x.example/a)." in section.text
    assert "Block *HTML*" in section.text and "**Nested heading**" in section.text
    notes = [(n.line, n.message) for n in imported.notes]
    assert (5, "inline HTML <span> removed, its text kept") in notes
    assert (13, "heading inside a list or quote kept as bold text") in notes


def _docx(body: str) -> bytes:
    """A minimal Word file: the parts mammoth reads, with Heading 1/2 styles."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles = (
        f"<w:styles {w}>"
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/></w:style>'
            for n in (1, 2)
        )
        + "</w:styles>"
    )
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>',
        "word/styles.xml": styles,
        "word/document.xml": f"<w:document {w}><w:body>{body}</w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _p(text: str, style: str | None = None, bold: bool = False) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_docx_through_mammoth() -> None:
    body = (
        _p("Contoso Privacy Policy", "Heading1")
        + _p("We respect your privacy.")
        + _p("What we collect", "Heading2")
        + _p("Your ")
        + _p("email", bold=True)
        + _p("Odd style", "Fancy")
        + '<w:p><w:r><w:t>E=mc</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        "<w:t>2</w:t></w:r></w:p>"
    )
    imported = import_text(_docx(body), "docx", Details(controller_email="dpo@contoso.example"))
    policy = imported.policy
    assert policy.title == "Contoso Privacy Policy" and policy.product == "Contoso"
    assert policy.preamble == "We respect your privacy."
    assert [s.id for s in policy.sections] == ["what-we-collect"]
    assert policy.sections[0].text is not None and "**email**" in policy.sections[0].text
    assert "Odd style" in policy.sections[0].text
    located = imported.located_notes("p.docx")
    assert "p.docx: Word: Unrecognised paragraph style: None (Style ID: Fancy)" in located
    assert "p.docx: paragraph 7: superscript <sup> kept as plain text" in located
    assert policy.controller.email == "dpo@contoso.example"


def test_import_to_stdout_and_refusals(tmp_path: Path) -> None:
    doc = tmp_path / "p.md"
    doc.write_text("# Fabrikam Privacy Policy\n\nIntro.\n\n## Data\n\nWe keep little.\n", encoding="utf-8")
    result = invoke(main, ["import", str(doc), "--out", "-", "--title", "Privacy at Fabrikam"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=./policy.schema.json\ntitle: Privacy at")
    assert "Still to fill in or check in policy.yaml:" in result.stderr
    assert "controller.email: not found, set to 'privacy@example.com'" in result.stderr
    odd = tmp_path / "p.pdf"
    odd.write_bytes(b"%PDF")
    refused = invoke(main, ["import", str(odd), "--out", str(tmp_path / "x.yaml")])
    assert refused.exit_code == 2 and "unknown document format '.pdf'" in refused.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_saved_web_page_imports_its_main_content() -> None:
    page = (
        "<html><head><title>t</title><script>x()</script></head><body>\n<header>Contoso home shop</header>\n"
        "<main>\n<p>Read this first.</p>\n<h1>Privacy Policy | Contoso</h1>\n"
        "<nav><a href='#a'>Jump to a</a></nav>\n<h2>Data</h2><p>We keep little.</p>\n</main>\n"
        "<footer>© Contoso</footer></body></html>"
    )
    imported = import_text(page.encode(), "html")
    notes = [(n.line, n.message) for n in imported.notes]
    assert (
        3,
        "only the page's <main> was imported: 5 word(s) outside it (site navigation, header, footer) left out",
    ) in notes
    assert (6, "site navigation <nav> left out (3 word(s))") in notes
    policy = imported.policy
    assert (policy.title, policy.product) == ("Privacy Policy | Contoso", "Contoso")
    assert policy.preamble == "Read this first."
    assert [s.id for s in policy.sections] == ["data"]


def test_front_matter_of_a_static_site_page() -> None:
    doc = "---\ntitle: Acme Privacy Policy\nlayout: page\n---\n\nIntro text.\n\n## Data\n\n<b>We</b> keep little.\n"
    imported = import_text(doc.encode(), "markdown")
    policy = imported.policy
    assert (policy.title, policy.product, policy.preamble) == ("Acme Privacy Policy", "Acme", "Intro text.")
    assert [s.id for s in policy.sections] == ["data"] and policy.sections[0].text == "**We** keep little."
    notes = [(n.line, n.message) for n in imported.notes]
    assert notes == [
        (1, "front matter (title, layout) left out (its title 'Acme Privacy Policy' is used when no heading gives one)")
    ]  # and the lines after it keep their numbers: nothing else to note


def test_site_relative_links_need_a_link_base(tmp_path: Path) -> None:
    doc = b"# Acme Privacy Policy\n\n## Data\n\nSee [the statement](/docs/statement(v2).pdf) and [x][y].\n\n[y]: /x\n"
    without = import_text(doc, "markdown")
    assert any(t.startswith("link_base: 2 link(s) point into the site the document came from") for t in without.todo)
    assert without.policy.link_base is None
    given = import_text(doc, "markdown", Details(link_base="https://www.acme.example"))
    assert given.policy.link_base == "https://www.acme.example"
    assert not any(t.startswith("link_base") for t in given.todo)
    source = tmp_path / "p.md"
    source.write_bytes(doc)
    result = invoke(main, ["import", str(source), "--out", "-", "--link-base", "https://www.acme.example"])
    assert result.exit_code == 0 and "link_base: https://www.acme.example" in result.stdout


def test_legacy_charsets() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
        "<body><h1>Caf\u00e9 Privacy Policy</h1><h2>Donn\u00e9es</h2>"
        "<p>\u201cWe\u201d care \u2013 a lot.</p></body></html>"
    )
    imported = import_text(page.encode("cp1252"), "html")
    assert imported.policy.title == "Caf\u00e9 Privacy Policy" and not imported.notes
    assert imported.policy.sections[0].text == "\u201cWe\u201d care \u2013 a lot."
    broken = import_text("# T Privacy Policy\n\n## A\n\nna\u00efve\n".encode("latin-1"), "markdown")
    assert broken.notes[0].message.startswith("the file is not valid UTF-8 (nor in a charset it declares)")


def test_names_the_document_does_not_give_are_placeholders_check_strict_flags(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: T\nsite_url: https://t.example/\nplugins:\n  - policyforge:\n      source: policy_source\n",
        encoding="utf-8",
    )
    doc = tmp_path / "p.md"
    doc.write_text(
        "# Privacy Policy\n\nWrite to privacy@fabrikam.test.\n\n## Data\n\nWe keep little.\n", encoding="utf-8"
    )
    result = invoke(main, ["import", str(doc), "-f", str(config)])
    assert result.exit_code == 0, result.output
    assert "controller.name: write the controller's legal name (or pass --controller-name)" in result.output
    text = (tmp_path / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    assert "product: 'TODO: the product''s name'" in text  # not the title, "Privacy Policy"
    assert "name: 'TODO: the controller''s legal name'" in text  # not the product's name
    strict = invoke(main, ["check", "--strict", "-f", str(config)])
    assert strict.exit_code == 1
    for line, what in ((3, "the product's name"), (5, "the controller's legal name")):
        assert f"policy.yaml:{line}: warning: still a placeholder: TODO: {what} [placeholder]" in strict.output
    given = invoke(
        main, ["import", str(doc), "-f", str(config), "--force", "--product", "Fabrikam", "--controller-name", "F Ltd"]
    )
    assert given.exit_code == 0 and "TODO" not in (tmp_path / "policy_source" / "policy.yaml").read_text("utf-8")

"""``policyforge import`` publishes only what it was given: no link is followed, git history is read
from committed blobs only, and documents past a size limit are refused before they are parsed."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import mammoth  # type: ignore[import-untyped]
import pytest

from policyforge.cli import main
from policyforge.errors import DocumentError
from policyforge.importer import import_text
from policyforge.importer.limits import MAX_DOCX_PARTS
from tests.conftest import invoke
from tests.unit.test_import_history import V1, V2, V3, _git, project
from tests.unit.test_importer import _docx, _p

# A file outside what is imported, written so that it would import as a valid policy
SECRET = "DEPLOY_TOKEN_e1f2a3b4c5"
SECRET_DOC = f"# Secret Privacy Policy\n\n{SECRET}\n\n## Keys\n\nThe deploy key is {SECRET}.\n"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(SECRET_DOC, encoding="utf-8")
    return secret


def _nowhere(secret: str, output: str, root: Path) -> None:
    """``secret`` is neither in the command's output nor in any file under ``root``."""
    assert secret not in output
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert secret.encode() not in path.read_bytes(), path


def test_a_link_in_a_history_folder_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2021-03-01.md").write_text(V1, encoding="utf-8")
    (folder / "2022-01-15.md").symlink_to(secret)
    (folder / "latest.md").symlink_to(secret)  # not named like a version: ignored like any other file
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(folder), "-f", str(config)])
    assert result.exit_code == 2
    assert f"ERROR: {folder / '2022-01-15.md'} is a symbolic link: import never follows links" in result.output
    _nowhere(SECRET, result.output, config.parent)
    assert not (config.parent / "policy_source").exists()


def test_a_history_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "2021-03-01.md").write_text(SECRET_DOC, encoding="utf-8")
    (tmp_path / "old").symlink_to(real, target_is_directory=True)
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(tmp_path / "old"), "-f", str(config)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'old'} is a symbolic link: import never follows links" in result.output
    _nowhere(SECRET, result.output, config.parent)


def test_a_single_file_that_is_a_link_or_in_a_linked_folder_is_refused(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    (tmp_path / "privacy.md").symlink_to(secret)
    result = invoke(main, ["import", str(tmp_path / "privacy.md"), "--out", "-"])
    assert result.exit_code == 2
    assert f"ERROR: {tmp_path / 'privacy.md'} is a symbolic link: import never follows links" in result.output
    assert SECRET not in result.output
    (tmp_path / "linked").symlink_to(secret.parent, target_is_directory=True)
    inside = invoke(main, ["import", str(tmp_path / "linked" / "secret.md"), "--out", "-"])
    assert inside.exit_code == 2
    assert f"its folder {tmp_path / 'linked'} is a symbolic link" in inside.output
    assert f"real path ({secret})" in inside.output  # the hint names the file the user may mean
    assert SECRET not in inside.output
    # the file itself, named by its own path, imports
    assert SECRET in invoke(main, ["import", str(secret), "--out", "-"]).stdout


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="the platform cannot open without following links")
def test_a_link_swapped_in_after_the_check_is_still_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyforge.importer import files

    secret = _secret(tmp_path)
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2021-03-01.md").symlink_to(secret)
    # the checks before opening see no link (as if the link appeared just after them) ...
    monkeypatch.setattr(files.Folder, "_lstat", lambda self, name: os.stat(folder))
    monkeypatch.setattr(files, "refuse_link", lambda path: None)
    # ... and the open itself still does not follow it: the file's, and the folder's
    with files.Folder(folder) as opened, pytest.raises(DocumentError, match="is a symbolic link"):
        opened.read("2021-03-01.md", 1000)
    (tmp_path / "linked").symlink_to(folder, target_is_directory=True)
    with pytest.raises(DocumentError, match="linked is a symbolic link"):
        files.Folder(tmp_path / "linked")


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _commit(repo: Path, message: str, date: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, date=date)


def _repo(tmp_path: Path) -> Path:
    """A git repository whose first commit (2021-03-01) adds privacy.md; returns that file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    doc = repo / "privacy.md"
    doc.write_text(V1, encoding="utf-8")
    _commit(repo, "First", "2021-03-01T10:00:00+00:00")
    return doc


@needs_git
def test_git_history_refuses_a_committed_link(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    doc = _repo(tmp_path)
    repo = doc.parent
    doc.unlink()
    doc.symlink_to(secret)  # a link committed in the history (git mode 120000)
    _commit(repo, "Point at the shared copy", "2022-01-15T10:00:00+00:00")
    doc.unlink()
    doc.write_text(V3, encoding="utf-8")
    _commit(repo, "Back to a file", "2023-02-01T10:00:00+00:00")
    commit = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%H", "-1", "--before=2022-06-01"], capture_output=True, text=True
    ).stdout.strip()
    config = project(tmp_path)
    result = invoke(main, ["import", "--history", str(doc), "-f", str(config)])
    assert result.exit_code == 2
    assert f"privacy.md in commit {commit[:10]} is a symbolic link: import never follows links" in result.output
    _nowhere(SECRET, result.output, config.parent)
    assert str(secret) not in result.output  # not even the link's target became policy text
    assert not (config.parent / "policy_source").exists()


@needs_git
def test_git_history_reads_commits_only_never_the_working_tree(tmp_path: Path) -> None:
    doc = _repo(tmp_path)
    repo = doc.parent
    doc.write_text(V2, encoding="utf-8")
    _commit(repo, "Cookies", "2022-01-15T10:00:00+00:00")
    doc.write_text(V2 + f"\nUncommitted: {SECRET}\n", encoding="utf-8")  # a working-tree edit
    (repo / "draft.md").write_text(SECRET_DOC, encoding="utf-8")  # an untracked file
    (repo / "latest.md").symlink_to("privacy.md")  # an untracked link to the tracked file
    config = project(tmp_path)
    untracked = invoke(main, ["import", "--history", str(repo / "draft.md"), "-f", str(config)])
    assert untracked.exit_code == 2
    assert f"{repo / 'draft.md'} is not tracked by git: a history is read from commits only" in untracked.output
    linked = invoke(main, ["import", "--history", str(repo / "latest.md"), "-f", str(config)])
    assert linked.exit_code == 2 and "latest.md is a symbolic link" in linked.output
    assert not (config.parent / "policy_source").exists()
    result = invoke(main, ["import", "--history", str(doc), "-f", str(config), "--controller-name", "Acme Ltd"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 version(s)" in result.output
    _nowhere(SECRET, result.output, config.parent)


BODY = _p("Acme Privacy Policy", "Heading1") + _p("Data", "Heading2") + _p("Hello.")


def _zip(parts: dict[str, bytes], *, base: bytes | None = None) -> bytes:
    """A Word file (test_importer's with ``BODY`` unless ``base``) with ``parts`` added or replaced, deflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base or _docx(BODY))) as old,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for name in old.namelist():
            if name not in parts:
                new.writestr(name, old.read(name))
        for name, data in parts.items():
            new.writestr(name, data)
    return buffer.getvalue()


def _parsed(*args: object, **kwargs: object) -> object:
    raise AssertionError("mammoth was given a document past the limits")


@pytest.fixture
def no_mammoth(monkeypatch: pytest.MonkeyPatch) -> None:
    """mammoth must never see the document: a refusal comes before parsing."""
    monkeypatch.setattr(mammoth, "convert_to_html", _parsed)


@pytest.mark.usefixtures("no_mammoth")
def test_a_docx_zip_bomb_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    # 33 MB of zeros in a part mammoth would not even read: 33 KB stored, refused by its unpacked size
    bomb = _zip({"customXml/item1.xml": bytes(33 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(DocumentError) as refused:
        import_text(bomb, "docx")
    assert "the Word file unpacks to 33.0 MB; the limit is 32 MB for all its parts together" in str(refused.value)
    # through the command, the error names the file
    (tmp_path / "bomb.docx").write_bytes(bomb)
    result = invoke(main, ["import", str(tmp_path / "bomb.docx"), "--out", "-"])
    assert result.exit_code == 2
    assert f"ERROR: {tmp_path / 'bomb.docx'}: the Word file unpacks to 33.0 MB; the limit is 32 MB" in result.output
    many = _zip({f"customXml/item{n}.xml": b"<a/>" for n in range(MAX_DOCX_PARTS)})
    with pytest.raises(DocumentError, match=f"the Word file has {MAX_DOCX_PARTS + 5} parts; the limit is 1000 parts"):
        import_text(many, "docx")


@pytest.mark.usefixtures("no_mammoth")
def test_a_docx_part_that_expands_a_hundredfold_is_refused() -> None:
    # the 15.8 KB file that expanded to 5.1 MB of empty paragraphs: here 1 MB of them in document.xml
    body = _p("Acme Privacy Policy", "Heading1") + "<w:p/>" * (1024 * 1024 // 6)
    with pytest.raises(DocumentError) as refused:
        import_text(_zip({}, base=_docx(body)), "docx")
    message = str(refused.value)
    assert "the Word file's part 'word/document.xml' expands" in message
    assert "the limit is 100 times: this is what a zip bomb looks like" in message


def _varied_xml(size: int) -> str:
    """Paragraphs of random words: text that deflate cannot shrink a hundredfold."""
    rng = random.Random(7)
    words = ["data", "consent", "we", "process", "your", "account", "delete", "request", "service", "month"]
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraph = _p(" ".join(rng.choice(words) + str(rng.randrange(10_000)) for _ in range(40)))
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "".join(paragraphs)


# A picture in the text, as Word writes it: a drawing whose blip names the part by a relationship
_DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:docPr id="1" name="Logo" descr="Acme logo"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/'
    '2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'r:embed="rId9"/>'
    "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/image" Target="media/image1.png"/></Relationships>'
)


def test_docx_text_parts_limit_counts_everything_but_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(3 * 1024 * 1024)  # 3 MB: no limit for a picture but the total
    docx = _zip(
        {"word/media/image1.png": picture, "word/_rels/document.xml.rels": _RELS.encode()}, base=_docx(BODY + _DRAWING)
    )
    imported = import_text(docx, "docx")
    assert imported.policy.title == "Acme Privacy Policy"
    assert any("image '(a picture, image/png)' (alt text 'Acme logo') left out" in n.message for n in imported.notes)
    # pictures are never unpacked: mammoth never reads one, though the text shows it
    real = zipfile.ZipFile.open
    opened: list[str] = []

    def spy(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: object, **kwargs: object) -> object:
        opened.append(name if isinstance(name, str) else name.filename)
        return real(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    import_text(docx, "docx")
    assert opened.count("word/media/image1.png") == 1  # once, 8 bytes of it, to tell it is a picture
    monkeypatch.undo()
    monkeypatch.setattr(mammoth, "convert_to_html", _parsed)
    big = _docx(_p("Acme Privacy Policy", "Heading1") + _varied_xml(2 * 1024 * 1024 + 1))
    with pytest.raises(DocumentError) as refused:
        import_text(_zip({}, base=big), "docx")
    message = str(refused.value)
    assert "the Word file's text parts unpack to 2.0 MB (the largest, 'word/document.xml'" in message
    assert "the limit is 2 MB for all parts but pictures together" in message
    # a part is a picture by its bytes, not its name: XML named like a picture still counts
    disguised = _zip({"word/media/image1.png": _varied_xml(2 * 1024 * 1024).encode()})
    with pytest.raises(DocumentError, match=re.escape("the largest, 'word/media/image1.png'")):
        import_text(disguised, "docx")


def test_a_docx_that_is_not_a_zip_is_a_clear_error() -> None:
    with pytest.raises(
        DocumentError, match=re.escape("not a Word file: a .docx is a zip archive, and this one cannot be opened")
    ):
        import_text(b"%PDF-1.7 not a Word file", "docx")


def test_markdown_and_html_past_their_size_are_refused_before_parsing(tmp_path: Path) -> None:
    head = b"# Acme Privacy Policy\n\n"
    with pytest.raises(DocumentError, match="the document is larger than 2 MB, the limit for a Markdown file"):
        import_text(head + b"a" * (2 * 1024 * 1024), "markdown")
    with pytest.raises(DocumentError, match="the document is larger than 5 MB, the limit for an HTML file"):
        import_text(b"<h1>Acme Privacy Policy</h1>" + b"<p>a</p>" * (5 * 1024 * 1024 // 8), "html")
    # from a file, no more than the limit (and a byte) is read
    big = tmp_path / "privacy.md"
    big.write_bytes(head + b"a" * (10 * 1024 * 1024))
    result = invoke(main, ["import", str(big), "--out", "-"])
    assert result.exit_code == 2
    assert f"ERROR: {big}: the document is larger than 2 MB, the limit for a Markdown file" in result.output

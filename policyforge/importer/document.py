"""One document (Markdown, HTML or DOCX) → policy YAML, with every note of what did not carry over.

DOCX goes through mammoth (Word styles → HTML), HTML through the HTML importer, and the
resulting Markdown through the same cleaning and outline as a Markdown source. Every document
passes the limits of :mod:`.limits` before it is parsed, and a file is read without following
links (:mod:`.files`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DocumentError, SourceError
from ..source.model import Policy
from .fact_tables import fact_tables
from .files import read_file
from .html_to_md import html_to_markdown
from .limits import check_document, max_bytes
from .md_clean import clean_markdown
from .notes import Converted, Note
from .policy_yaml import Details, policy_data, policy_yaml, validated
from .structure import outline

__all__ = ["FORMATS", "Imported", "convert", "import_document", "import_text"]

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".txt": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}


@dataclass(frozen=True)
class Imported:
    """The result of importing one document: the YAML text, its policy, the notes and the editor's to-do."""

    yaml: str
    policy: Policy
    notes: tuple[Note, ...]
    todo: tuple[str, ...] = field(default=())
    unit: str = "line"  # what a note's number counts: source lines, or paragraphs of a Word file

    def located_notes(self, name: str) -> list[str]:
        """Every note as ``name:line: message`` (or ``name: paragraph N: message``)."""
        return [note.located(name, self.unit) for note in self.notes]


def _docx_html(data: bytes) -> tuple[str, list[Note]]:
    import io

    import mammoth  # type: ignore[import-untyped]

    # A picture is never unpacked: import leaves pictures out, so its bytes are not needed
    pictures = mammoth.images.img_element(lambda image: {"src": f"(a picture, {image.content_type})"})
    result = mammoth.convert_to_html(io.BytesIO(data), convert_image=pictures)
    notes = [Note(0, f"Word: {m.message}") for m in result.messages]
    return str(result.value), notes


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(data: bytes, kind: str) -> tuple[str, tuple[Note, ...]]:
    """Text of a Markdown or HTML file: UTF-8, or the charset an HTML page declares (``windows-1252``...)."""
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096]) if kind == "html" else None
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii")), ()
        except (LookupError, UnicodeDecodeError):
            pass
    text = data.decode("utf-8", errors="replace")
    return text, (
        Note(
            1,
            "the file is not valid UTF-8 (nor in a charset it declares): undecodable bytes were "
            "replaced by \ufffd; convert it to UTF-8 and import again",
        ),
    )


def convert(data: bytes, kind: str) -> Converted:
    """Markdown of a document's bytes (``kind``: ``markdown``, ``html`` or ``docx``), cleaned for policy text.

    Raises :class:`DocumentError` before parsing anything when the document passes a limit.
    """
    check_document(data, kind)
    if kind == "docx":
        html, notes = _docx_html(data)
        # One line per paragraph (a list item, a table row) of mammoth's HTML, so notes count paragraphs
        out = html_to_markdown(_BLOCK_END.sub(r"\1\n", html))
        return clean_markdown(Converted(out.markdown, out.lines, tuple(notes) + out.notes))
    text, note = _decode(data, kind)
    if kind == "html":
        out = html_to_markdown(text)
        return clean_markdown(Converted(out.markdown, out.lines, out.notes + note))
    md, title, front = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    return clean_markdown(Converted(md, tuple(range(1, md.count("\n") + 2)), note + front, title))


_BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|tr)>)")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _front_matter(md: str) -> tuple[str, str | None, tuple[Note, ...]]:
    """A static-site generator's YAML front matter (``---`` … ``---``) blanked out, line numbers kept.

    Its ``title`` is returned: the document's title when no heading gives one.
    """
    match = _FRONT.match(md)
    if match is None:
        return md, None, ()
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return md, None, ()
    if not isinstance(meta, dict):
        return md, None, ()
    title = meta.get("title")
    kept = f" (its title {title!r} is used when no heading gives one)" if isinstance(title, str) else ""
    blank = "\n" * match.group(0).count("\n")
    note = Note(1, f"front matter ({', '.join(map(str, meta))}) left out{kept}")
    return blank + md[match.end() :], title if isinstance(title, str) and title.strip() else None, (note,)


def import_text(
    data: bytes, kind: str, details: Details | None = None, *, allow_html: bool = False, name: str = "policy.yaml"
) -> Imported:
    """Import a document's bytes; raises :class:`DocumentError` when the result is not a valid policy."""
    details = details or Details()
    converted = convert(data, kind)
    doc = outline(converted)
    if doc.title is None and converted.title:
        doc.title = converted.title
    notes = [*converted.notes, *doc.notes]
    data_ = policy_data(doc, details, notes, fact_tables(converted))
    text = policy_yaml(data_)
    try:
        policy = validated(text, allow_html=allow_html, name=name)
    except SourceError as exc:
        listed = "\n".join(f"  {p}" for p in exc.problems)
        raise DocumentError(
            f"the imported policy is not valid:\n{listed}",
            hint="shorten or split what is named above in the source document, then import again",
        ) from None
    unit = "paragraph" if kind == "docx" else "line"
    return Imported(text, policy, tuple(sorted(set(notes))), tuple(details.todo), unit)


def import_document(path: Path, details: Details | None = None, *, allow_html: bool = False) -> Imported:
    """Import the document at ``path``; its format comes from its suffix.

    Neither ``path`` nor its folder may be a symbolic link; errors name ``path``.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(
            f"{path}: unknown document format {path.suffix or '(no suffix)'!r}",
            hint="import reads Markdown (.md), HTML (.html, .htm) and Word (.docx) files",
        )
    data = read_file(path, max_bytes(kind))
    try:
        return import_text(data, kind, details, allow_html=allow_html)
    except DocumentError as exc:
        raise DocumentError(f"{path}: {exc}", hint=exc.hint) from None

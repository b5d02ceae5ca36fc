"""How large a document import accepts, checked before it is parsed (docs/import.md, "Limits").

Markdown and HTML are limited by their size in bytes. A Word file is a zip archive whose parts
can expand a thousandfold (a "zip bomb"), so its table of contents is read first, without
unpacking anything: the number of parts, what they add up to unpacked, how many times each part
expands (Apache POI's rule: at most 100 times, for parts over 100 KB) and, unpacked, the parts
mammoth parses as XML (every part that is not a picture). Python's :mod:`zipfile` never unpacks
more than the size a part declares, so the declared sizes bound what mammoth reads.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DocumentError

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_DOCX_PARTS",
    "MAX_DOCX_RATIO",
    "MAX_DOCX_UNPACKED_BYTES",
    "MAX_DOCX_XML_BYTES",
    "MAX_HTML_BYTES",
    "MAX_MARKDOWN_BYTES",
    "RATIO_GRACE_BYTES",
    "check_document",
    "check_size",
    "max_bytes",
]

MB = 1024 * 1024
MAX_MARKDOWN_BYTES = 2 * MB  # its text carries over as it is: a policy file is at most 2 MB too
MAX_HTML_BYTES = 5 * MB  # a saved web page carries scripts and styles around the policy
MAX_DOCX_BYTES = 20 * MB  # the Word file as stored, pictures included
MAX_DOCX_PARTS = 1000  # a Word file has a few dozen parts, one per picture more
MAX_DOCX_UNPACKED_BYTES = 32 * MB  # all parts together, unpacked
MAX_DOCX_XML_BYTES = 2 * MB  # the parts mammoth parses (all but pictures) together, unpacked
MAX_DOCX_RATIO = 100  # how many times a part may expand when unpacked ...
RATIO_GRACE_BYTES = 100 * 1024  # ... once it is larger than this unpacked (smaller parts are not checked)

_LIMITS = {"markdown": MAX_MARKDOWN_BYTES, "html": MAX_HTML_BYTES, "docx": MAX_DOCX_BYTES}
# The first bytes of the picture formats Word stores (PNG, JPEG, GIF, BMP, TIFF, EMF, WMF, WebP).
_PICTURES: tuple[bytes, ...] = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")
_PICTURES += (b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
_SPLIT_HINT = (
    "split the document (a long Word file can also be saved as a web page, .html, and imported); "
    "the limits are in docs/import.md#limits"
)


def max_bytes(kind: str) -> int:
    """The largest file of ``kind`` (``markdown``, ``html``, ``docx``) import reads."""
    return _LIMITS[kind]


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB // 10 else f"{n / 1024:.1f} KB"


def check_size(size: int, kind: str) -> None:
    """Raise :class:`DocumentError` if a document of ``kind`` is ``size`` bytes, more than its limit."""
    limit = max_bytes(kind)
    if size > limit:
        what = {"markdown": "a Markdown file", "html": "an HTML file", "docx": "a Word file"}[kind]
        raise DocumentError(f"the document is larger than {limit // MB} MB, the limit for {what}", hint=_SPLIT_HINT)


def check_document(data: bytes, kind: str) -> None:
    """Raise :class:`DocumentError` if ``data`` passes a limit of its ``kind``; nothing is parsed."""
    check_size(len(data), kind)
    if kind == "docx":
        _check_docx(data)


def _check_docx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DocumentError(
            f"not a Word file: a .docx is a zip archive, and this one cannot be opened ({exc})",
            hint="open it in Word and save it again as a Word document (.docx)",
        ) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_DOCX_PARTS:
            raise DocumentError(
                f"the Word file has {len(parts)} parts; the limit is {MAX_DOCX_PARTS} parts", hint=_SPLIT_HINT
            )
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_DOCX_UNPACKED_BYTES:
            raise DocumentError(
                f"the Word file unpacks to {_size(unpacked)}; the limit is {MAX_DOCX_UNPACKED_BYTES // MB} MB "
                "for all its parts together",
                hint=_SPLIT_HINT,
            )
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > RATIO_GRACE_BYTES and ratio > MAX_DOCX_RATIO:
                raise DocumentError(
                    f"the Word file's part {part.filename!r} expands {ratio:.0f} times when unpacked "
                    f"({_size(part.compress_size)} to {_size(part.file_size)}); the limit is "
                    f"{MAX_DOCX_RATIO} times: this is what a zip bomb looks like",
                    hint="open it in Word and save it again; a document Word wrote expands far less",
                )
        xml = [part for part in parts if not _is_picture(archive, part)]
        total = sum(part.file_size for part in xml)
        if total > MAX_DOCX_XML_BYTES:
            largest = max(xml, key=lambda part: part.file_size)
            raise DocumentError(
                f"the Word file's text parts unpack to {_size(total)} (the largest, "
                f"{largest.filename!r}, to {_size(largest.file_size)}); the limit is "
                f"{MAX_DOCX_XML_BYTES // MB} MB for all parts but pictures together",
                hint=_SPLIT_HINT,
            )


def _is_picture(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Whether a part starts like a picture (by its bytes, not its name: a name can lie)."""
    if part.is_dir() or part.file_size == 0:
        return False
    try:
        with archive.open(part) as handle:
            head = handle.read(8)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError):
        return False  # unreadable: counted as text, and mammoth reports it if it needs it
    return head.startswith(_PICTURES)

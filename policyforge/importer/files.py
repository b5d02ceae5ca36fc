"""Reading what import is given and nothing else: no symbolic link is ever followed.

A folder is opened with ``O_NOFOLLOW | O_DIRECTORY`` and its files are opened relative to it
(``dir_fd``) with ``O_NOFOLLOW``, so neither the folder nor a file can be swapped for a link
between the check and the read (where the platform opens files relative to a folder; elsewhere,
on Windows, the same checks are made with ``lstat``). A link, the named file's own or its
folder's, is refused with a :class:`DocumentError` naming it. Only regular files are read, and
never more than a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import DocumentError

__all__ = ["Folder", "read_file", "refuse_link", "refuse_links"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO named like a document must not block the open
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_RELATIVE = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.scandir in os.supports_fd
_LINK_ERRORS = {errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)}  # what O_NOFOLLOW on a link gives


def _link_error(display: str | Path) -> DocumentError:
    return DocumentError(
        f"{display} is a symbolic link: import never follows links, it reads only the files it is given",
        hint="copy the document itself there (or name the file the link points to) and import again",
    )


def refuse_link(path: Path) -> None:
    """Raise :class:`DocumentError` if ``path`` itself is a symbolic link."""
    if path.is_symlink():
        raise _link_error(path)


def refuse_links(path: Path) -> None:
    """Raise :class:`DocumentError` if ``path`` or the folder it is in is a symbolic link."""
    refuse_link(path)
    if path.parent.is_symlink():
        raise DocumentError(
            f"{path}: its folder {path.parent} is a symbolic link: import never follows links",
            hint=f"name the file by its real path ({path.resolve()}) if that is the one you mean",
        )


class Folder:
    """A folder opened without following a link; its entries are listed and read without following links."""

    def __init__(self, path: Path) -> None:
        self.path = path
        refuse_link(path)
        self.fd: int | None = None
        if _RELATIVE:
            try:
                self.fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
            except OSError as exc:
                if exc.errno in _LINK_ERRORS or path.is_symlink():  # with O_DIRECTORY, Linux says ENOTDIR
                    raise _link_error(path) from None
                raise DocumentError(f"{path}: cannot open the folder ({exc.strerror or exc})") from None

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def entries(self) -> list[str]:
        """The names of the folder's entries but its folders, sorted (a link is listed: :meth:`read` refuses it)."""
        with os.scandir(self.fd if self.fd is not None else self.path) as listed:
            return sorted(e.name for e in listed if not e.is_dir(follow_symlinks=False))

    def _lstat(self, name: str) -> os.stat_result:
        if self.fd is None:
            return os.lstat(self.path / name)
        return os.stat(name, dir_fd=self.fd, follow_symlinks=False)

    def _open(self, name: str) -> int:
        flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0)
        if self.fd is None:
            return os.open(self.path / name, flags)
        return os.open(name, flags, dir_fd=self.fd)

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of the regular file ``name`` in this folder, at most ``limit + 1`` of them."""
        display = self.path / name
        try:
            if stat.S_ISLNK(self._lstat(name).st_mode):
                raise _link_error(display)
            fd = self._open(name)
        except OSError as exc:
            if exc.errno in _LINK_ERRORS:
                raise _link_error(display) from None
            raise DocumentError(f"{display}: cannot read it ({exc.strerror or exc})") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise DocumentError(f"{display} is not a regular file: import reads only documents")
            return handle.read(limit + 1)


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit + 1``); neither it nor its folder may be a link."""
    refuse_links(path)
    with Folder(path.parent) as folder:
        return folder.read(path.name, limit)

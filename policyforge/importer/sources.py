"""Where the versions of a document come from: a folder of dated files, or a file's git history.

A folder holds one file per version, named by its date (``2021-03-01.md``, ``2021-03-01-privacy.html``,
``privacy-2021-03-01.docx``). In a git repository, every commit that changed the file is a
version, dated by its author date (the date ``git log`` shows) and summarised by its subject;
several commits on one day make one version, the day's last text, with their subjects joined.

Only what is given is read, never through a symbolic link: a folder's regular files (a link in it
named like a version is refused, :mod:`.files`), and a git history's committed blobs (never the
working tree; a commit in which the file is a link is refused). Sizes are checked before reading.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..history.dates import parse_date
from .document import FORMATS
from .files import Folder, refuse_link, refuse_links
from .limits import check_size, max_bytes

__all__ = ["Version", "folder_versions", "git_versions", "versions_of"]

_DATED = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True)
class Version:
    """One version of the document: its date, a name to show, its bytes, format and summary."""

    date: dt.date
    name: str
    data: bytes
    kind: str
    summary: str


def folder_versions(folder: Path) -> list[Version]:
    """Every dated document in ``folder``, oldest first; :class:`DocumentError` for clashes or none."""
    with Folder(folder) as opened:
        return _dated_versions(opened)


def _dated_versions(folder: Folder) -> list[Version]:
    found: dict[dt.date, Path] = {}
    skipped: list[str] = []
    for path in (Path(name) for name in folder.entries() if not name.startswith(".")):
        match = _DATED.search(path.stem)
        kind = FORMATS.get(path.suffix.lower())
        if match is None or kind is None:
            skipped.append(path.name)
            continue
        day = parse_date(match.group(1))
        if day is None:
            raise DocumentError(f"{folder.path / path}: {match.group(1)} in its name is not a real date")
        if day in found:
            raise DocumentError(
                f"{found[day].name} and {path.name} have the same date {day}: one version per day",
                hint="keep the version that was published and move the other out of the folder",
            )
        found[day] = path
    if not found:
        raise DocumentError(
            f"{folder.path}: no dated documents (expected names like 2021-03-01.md, .html or .docx)"
            + (f"; found only {', '.join(skipped[:5])}" if skipped else "")
        )
    versions: list[Version] = []
    for day, path in sorted(found.items()):
        kind = FORMATS[path.suffix.lower()]
        data = folder.read(path.name, max_bytes(kind))  # a link is refused here, naming it
        versions.append(Version(day, path.name, data, kind, f"Imported from {path.name}."))
    return versions


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-C", str(repo), *args], capture_output=True, check=True)
    except subprocess.CalledProcessError as exc:
        why = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(f"git {' '.join(args[:2])} failed: {why[-1] if why else exc}") from None
    return done.stdout


def git_versions(file: Path) -> list[Version]:
    """Every commit that changed ``file`` (following renames), one version per day, oldest first.

    The file must be tracked; its texts are the blobs git committed, never the working tree.
    """
    if shutil.which("git") is None:
        raise DocumentError("importing a file's history needs git, which is not installed")
    refuse_links(file)
    top = Path(_git(file.parent, "rev-parse", "--show-toplevel").decode().strip())
    tracked = _git(file.parent, "ls-files", "--full-name", "-z", "--", file.name).split(b"\0")[0]
    if not tracked:
        raise DocumentError(
            f"{file} is not tracked by git: a history is read from commits only",
            hint="commit it first, or import a folder of dated files",
        )
    relative = tracked.decode("utf-8", "surrogateescape")
    log = _git(top, "log", "--follow", "--format=%x1e%H%x1f%aI%x1f%s", "--name-only", "--", relative)
    days: dict[dt.date, list[tuple[str, str, str]]] = {}
    for record in log.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, stamp, subject = head.split("\x1f", 2)
        path = next((n for n in names.split("\n") if n.strip()), relative)
        days.setdefault(dt.date.fromisoformat(stamp[:10]), []).append((commit, path, subject.strip()))
    versions: list[Version] = []
    for day in sorted(days):
        commits = list(reversed(days[day]))  # git log lists newest first
        commit, path, _ = commits[-1]
        kind = FORMATS.get(Path(path).suffix.lower())
        if kind is None:
            raise DocumentError(f"{path} (commit {commit[:10]}): unknown document format {Path(path).suffix!r}")
        data = _committed(top, commit, path, kind)
        if data is None:  # the commit deleted the file: no version that day
            continue
        summary = "; ".join(dict.fromkeys(s for _, _, s in commits if s)) or f"Commit {commit[:10]}."
        versions.append(Version(day, f"{path}@{commit[:10]}", data, kind, summary))
    if not versions:
        raise DocumentError(f"{file}: git has no commit of this file", hint="commit it first, or import a folder")
    return versions


def _committed(top: Path, commit: str, path: str, kind: str) -> bytes | None:
    """The blob of ``path`` in ``commit`` (None if it has none); a link or a too large file is refused."""
    entry = _git(top, "ls-tree", "-l", "-z", commit, "--", path).split(b"\0")[0]
    if not entry:
        return None
    mode, kind_, blob, size = entry.split(b"\t", 1)[0].split()
    where = f"{path} in commit {commit[:10]}"
    if mode == b"120000":
        raise DocumentError(
            f"{where} is a symbolic link: import never follows links, it reads only committed files",
            hint="import from a commit after it, or a folder of dated files",
        )
    if kind_ != b"blob":
        raise DocumentError(f"{where} is not a file (a {kind_.decode()}): import reads only committed files")
    try:
        check_size(int(size), kind)
    except DocumentError as exc:
        raise DocumentError(f"{where}: {exc}", hint=exc.hint) from None
    return _git(top, "cat-file", "blob", blob.decode())


def versions_of(source: Path) -> list[Version]:
    """A folder's dated files, or a file's git history; ``source`` itself may not be a symbolic link."""
    refuse_link(source)
    if source.is_dir():
        return folder_versions(source)
    if source.is_file():
        return git_versions(source)
    raise DocumentError(f"{source}: no such file or folder")

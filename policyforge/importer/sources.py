"""Where the versions of a document come from: a folder of dated files, or a file's git history.

A folder holds one file per version, named by its date (``2021-03-01.md``, ``2021-03-01-privacy.html``,
``privacy-2021-03-01.docx``). In a git repository, every commit that changed the file is a
version, dated by its author date (the date ``git log`` shows) and summarised by its subject;
several commits on one day make one version, the day's last text, with their subjects joined.
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
    found: dict[dt.date, Path] = {}
    skipped: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        match = _DATED.search(path.stem)
        kind = FORMATS.get(path.suffix.lower())
        if match is None or kind is None:
            skipped.append(path.name)
            continue
        day = parse_date(match.group(1))
        if day is None:
            raise DocumentError(f"{path}: {match.group(1)} in its name is not a real date")
        if day in found:
            raise DocumentError(
                f"{found[day].name} and {path.name} have the same date {day}: one version per day",
                hint="keep the version that was published and move the other out of the folder",
            )
        found[day] = path
    if not found:
        raise DocumentError(
            f"{folder}: no dated documents (expected names like 2021-03-01.md, .html or .docx)"
            + (f"; found only {', '.join(skipped[:5])}" if skipped else "")
        )
    return [
        Version(day, path.name, path.read_bytes(), FORMATS[path.suffix.lower()], f"Imported from {path.name}.")
        for day, path in sorted(found.items())
    ]


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except subprocess.CalledProcessError as exc:
        why = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(f"git {' '.join(args[:2])} failed: {why[-1] if why else exc}") from None
    return done.stdout


def git_versions(file: Path) -> list[Version]:
    """Every commit that changed ``file`` (following renames), one version per day, oldest first."""
    if shutil.which("git") is None:
        raise DocumentError("importing a file's history needs git, which is not installed")
    file = file.resolve()
    top = Path(_git(file.parent, "rev-parse", "--show-toplevel").decode().strip())
    relative = file.relative_to(top).as_posix()
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
        listed = subprocess.run(["git", "-C", str(top), "cat-file", "-e", f"{commit}:{path}"], capture_output=True)
        if listed.returncode != 0:  # the commit deleted the file: no version that day
            continue
        data = _git(top, "show", f"{commit}:{path}")
        summary = "; ".join(dict.fromkeys(s for _, _, s in commits if s)) or f"Commit {commit[:10]}."
        versions.append(Version(day, f"{path}@{commit[:10]}", data, kind, summary))
    if not versions:
        raise DocumentError(f"{file}: git has no commit of this file", hint="commit it first, or import a folder")
    return versions


def versions_of(source: Path) -> list[Version]:
    """A folder's dated files, or a file's git history."""
    if source.is_dir():
        return folder_versions(source)
    if source.is_file():
        return git_versions(source)
    raise DocumentError(f"{source}: no such file or folder")

"""Files frozen with a release next to its version: ``versions/DATE.LANG.yaml``, hashed in ``versions.lock``.

A release's lock entry may list such files (``translations``: language → sha256). From then on each
is verified like a released file: modified, missing or unlisted, it stops every command with a
:class:`LockError`, so a published file cannot be quietly rewritten. This module is the mechanism
only (names, hashes, copying, removal); what the files hold, which are frozen with a release and
when one may be added later is :mod:`policyforge.translation.snapshots`' business: they are the
translations frozen with the release, and the history never reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import LockError
from ..source.options import LANGUAGE_TAG, ProjectOptions
from .lock import LOCK_NAME, VERSIONS_DIR, LockEntry, sha256_file, write_atomic

__all__ = [
    "SNAPSHOT_NAME",
    "freeze_files",
    "remove_snapshots",
    "snapshot_file",
    "unlisted_snapshots",
    "verify_snapshot",
]

SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(" + LANGUAGE_TAG.strip("^$") + r")\.yaml$")
_RESTORE = (
    "A translation frozen with a release is part of the published history: restore the file from version control."
)
_NEVER_REWRITTEN = (
    "A published translation is never rewritten: restore the file from version control, and make "
    "the correction in translations/{lang}.yaml instead; the current page shows it from the next "
    "build, and the next release freezes it."
)


def snapshot_file(date: str, lang: str) -> str:
    """The frozen translation of release ``date`` in ``lang``, relative to the source folder."""
    return f"{VERSIONS_DIR}/{date}.{lang}.yaml"


def verify_snapshot(options: ProjectOptions, date: str, lang: str, expected: str) -> None:
    """:class:`LockError` unless ``versions/DATE.LANG.yaml`` exists with the sha256 the lock records."""
    path = options.source / snapshot_file(date, lang)
    shown = options.display(path)
    if not path.is_file():
        raise LockError(
            f"{shown}: frozen translation is missing (expected sha256 {expected}, actual: no file)", hint=_RESTORE
        )
    actual = sha256_file(path)
    if actual != expected:
        raise LockError(
            f"{shown}: frozen translation was modified (expected sha256 {expected}, actual {actual})",
            hint=_NEVER_REWRITTEN.format(lang=lang),
        )


def unlisted_snapshots(options: ProjectOptions, entries: Iterable[LockEntry], on_disk: Iterable[Path]) -> None:
    """:class:`LockError` for a ``versions/DATE.LANG.yaml`` that no lock entry lists."""
    listed = {snapshot_file(e["effective"], lang) for e in entries for lang in e.get("translations", {})}
    lock_shown = options.display(options.source / LOCK_NAME)
    for path in on_disk:
        if f"{VERSIONS_DIR}/{path.name}" not in listed:
            raise LockError(
                f"{options.display(path)}: frozen translation without an entry in {lock_shown} "
                f"(expected: no such file; actual sha256 {sha256_file(path)})",
                hint="Frozen translations are written only by `policyforge release` and `policyforge "
                "translate freeze`: remove the file (the translation itself lives in "
                f"translations/); if it was frozen on another machine, take its {lock_shown} "
                "from version control too.",
            )


def freeze_files(options: ProjectOptions, date: str, files: Mapping[str, Path]) -> dict[str, str]:
    """Copy each of ``files`` (language → file) to ``versions/DATE.LANG.yaml``, byte for byte; language → sha256.

    When a copy fails, the ones made are removed.
    """
    made: dict[str, str] = {}
    try:
        for lang, live in files.items():
            target = options.source / snapshot_file(date, lang)
            write_atomic(target, live.read_bytes())
            made[lang] = sha256_file(target)
    except BaseException:
        remove_snapshots(options, date, made)
        raise
    return made


def remove_snapshots(options: ProjectOptions, date: str, langs: Iterable[str]) -> None:
    """Delete the frozen translations of release ``date`` in ``langs`` (withdrawal, or a failed release)."""
    for lang in langs:
        (options.source / snapshot_file(date, lang)).unlink(missing_ok=True)

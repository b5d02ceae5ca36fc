"""Translations frozen with a release: ``versions/DATE.LANG.yaml``, hashed in ``versions.lock``.

``policyforge release`` copies each configured language's ``translations/LANG.yaml`` next to the
released version, byte for byte, and records its sha256 in the release's lock entry
(``translations``). From then on the frozen copy is verified like a released file: modified,
missing or unlisted, it stops every command with a :class:`LockError`, so a published translation
cannot be quietly rewritten. The live ``translations/LANG.yaml`` stays editable: the current page
shows it; the frozen copies serve the archive pages of their releases.

A translation finished after its release is added with :func:`add_snapshot`
(``policyforge translate freeze LANG``): a release may gain the snapshot of a language it has
none of; an existing snapshot is replaced only while its release is upcoming (nobody has relied on
it yet), never once the release is or was in effect.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import LockError, ReleaseError
from ..source.options import LANGUAGE_TAG, ProjectOptions
from .dates import build_today
from .lock import LOCK_NAME, VERSIONS_DIR, LockEntry, lock_text, sha256_file, write_atomic

__all__ = [
    "LIVE_DIR",
    "SNAPSHOT_NAME",
    "Frozen",
    "add_snapshot",
    "freeze_translations",
    "live_translation",
    "remove_snapshots",
    "snapshot_file",
    "unlisted_snapshots",
    "verify_snapshot",
]

LIVE_DIR = "translations"  # <document source>/translations/LANG.yaml, the file translators edit
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


def live_translation(options: ProjectOptions, lang: str) -> Path:
    """The translation file translators edit: ``<source>/translations/LANG.yaml``."""
    return options.source / LIVE_DIR / f"{lang}.yaml"


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


def freeze_translations(options: ProjectOptions, date: str) -> dict[str, str]:
    """Copy each configured language's live translation to ``versions/DATE.LANG.yaml``; language → sha256.

    A language without a translation file yet is skipped. When a copy fails, the ones made are removed.
    """
    made: dict[str, str] = {}
    try:
        for lang in options.translations:
            live = live_translation(options, lang)
            if live.is_file():
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


@dataclass(frozen=True)
class Frozen:
    """What :func:`add_snapshot` did: ``action`` is ``added``, ``replaced`` or ``unchanged``."""

    date: str
    lang: str
    file: str
    sha256: str
    action: str


def add_snapshot(options: ProjectOptions, entries: list[LockEntry], index: int, lang: str, *, upcoming: bool) -> Frozen:
    """Freeze the live translation of ``lang`` for the release ``entries[index]`` and rewrite the lock.

    ``upcoming``: the release is not in effect yet, so an existing snapshot may be replaced.
    Raises :class:`ReleaseError` for a language not configured, a missing live file, or a
    snapshot that exists with other content for a release that is or was in effect.
    """
    date = entries[index]["effective"]
    if lang not in options.translations:
        configured = ", ".join(options.translations) or "none"
        raise ReleaseError(
            f"{lang!r} is not one of the project's translations (configured: {configured})",
            hint="List the language under `translations:` in the policyforge plugin options.",
        )
    live = live_translation(options, lang)
    if not live.is_file():
        raise ReleaseError(
            f"{options.display(live)} does not exist: there is no {lang} translation to freeze",
            hint=f"Start one with `policyforge translate init {lang}`.",
        )
    frozen: dict[str, str] = dict(entries[index].get("translations", {}))
    target_name = snapshot_file(date, lang)
    data = live.read_bytes()
    digest = sha256_of(data)
    if frozen.get(lang) == digest:
        return Frozen(date, lang, target_name, digest, "unchanged")
    if lang in frozen and not upcoming:
        raise ReleaseError(
            f"the release {date} already has a {lang} translation ({options.display(options.source / target_name)})"
            f" and is in effect since {date} (today is {build_today()}); a published translation cannot be "
            "rewritten",
            hint=f"The current page always shows translations/{lang}.yaml; the next release freezes it with the "
            "version.",
        )
    action = "replaced" if lang in frozen else "added"
    target = options.source / target_name
    before = target.read_bytes() if target.is_file() else None
    write_atomic(target, data)
    frozen[lang] = digest
    updated = [dict(e) for e in entries]
    updated[index]["translations"] = frozen
    try:
        write_atomic(options.source / LOCK_NAME, lock_text(updated))
    except BaseException:
        if before is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, before)
        raise
    return Frozen(date, lang, target_name, digest, action)


def sha256_of(data: bytes) -> str:
    """The sha256 of ``data`` as 64 lowercase hex digits (what :func:`sha256_file` gives for a file)."""
    return hashlib.sha256(data).hexdigest()

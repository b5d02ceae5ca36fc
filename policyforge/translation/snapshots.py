"""Translations frozen with a release (``versions/DATE.LANG.yaml``): which, when, and what they read as.

``policyforge release`` (:func:`release`) checks each configured language's ``translations/LANG.yaml``
against the draft and freezes it next to the released version, byte for byte, its sha256 in the
release's lock entry; :mod:`policyforge.history.snapshots` verifies the frozen copies like released
files, so a published translation cannot be quietly rewritten. The live ``translations/LANG.yaml``
stays editable: the current page shows it; the frozen copies serve the archive pages of their
releases (:func:`frozen_translation`).

A translation finished after its release is added with :func:`add_snapshot`
(``policyforge translate freeze LANG``): a release may gain the snapshot of a language it has
none of; an existing snapshot is replaced only while its release is upcoming (nobody has relied on
it yet), never once the release is or was in effect.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import weakref
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Unpack

from ..errors import ReleaseError, SourceError
from ..history.dates import build_today
from ..history.lock import LOCK_NAME, LockEntry, lock_text, write_atomic
from ..history.release import Outcome, When
from ..history.release import release as release_version
from ..history.releases import History, Release
from ..history.snapshots import snapshot_file
from ..source.model import Policy
from ..source.options import ProjectOptions
from .read import TRANSLATIONS_DIR, Translation, read_translation, translation_path, translation_problems

__all__ = [
    "Frozen",
    "TranslatedOutcome",
    "add_snapshot",
    "frozen_translation",
    "frozen_translations",
    "release",
    "validate_frozen",
]

# The frozen translations read so far, per release (a release's frozen files are hash-verified: they do not change).
_read: weakref.WeakKeyDictionary[Release, dict[str, Translation]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class TranslatedOutcome(Outcome):
    """What :func:`release` made: the history's :class:`~policyforge.history.release.Outcome`, and the translations."""

    translations: dict[str, Translation] = field(default_factory=dict)  # the live ones, frozen with it


def release(
    options: ProjectOptions,
    effective: dt.date,
    summary: str,
    **when: Unpack[When],
) -> TranslatedOutcome:
    """:func:`policyforge.history.release.release` (``when``: its ``published``, ``backdate`` and ``republish``)
    with the project's translations frozen with the version.

    Every configured language's ``translations/LANG.yaml`` must read against the draft (a frozen translation
    can never be corrected): :class:`SourceError` lists the problems otherwise, and nothing is released. A
    language without a translation file yet is skipped.
    """

    read: dict[str, Translation] = {}

    def live_files(draft: Policy) -> dict[str, Path]:
        found, problems, _ = translation_problems(options, draft)
        if problems:
            raise SourceError(problems, source=options.display(options.source / TRANSLATIONS_DIR))
        read.update(found)
        live = {lang: translation_path(options.source, lang) for lang in options.translations}
        return {lang: path for lang, path in live.items() if path.is_file()}

    outcome = release_version(options, effective, summary, freeze=live_files, **when)
    return TranslatedOutcome(**{f.name: getattr(outcome, f.name) for f in fields(outcome)}, translations=read)


def frozen_translation(rel: Release, lang: str) -> Translation | None:
    """The translation into ``lang`` frozen with ``rel`` (read on first use), None when there is none.

    It is read against the release's policy; :class:`SourceError` lists its problems if it no longer
    reads (it was checked when frozen, and its hash was verified on load).
    """
    name = rel.translation_file(lang)
    if name is None or rel.options is None:
        return None
    read = _read.setdefault(rel, {})
    if lang not in read:
        path = rel.options.source / name
        shown = rel.options.display(path)
        found, errors, _ = read_translation(
            path, rel.policy, lang=lang, display=shown, allow_html=rel.options.allow_html
        )
        if errors or found is None:
            raise SourceError(errors, source=shown)
        read[lang] = found
    return read[lang]


def frozen_translations(rel: Release) -> dict[str, Translation]:
    """Every translation frozen with ``rel``, by language (read on first use)."""
    return {lang: found for lang in rel.translations if (found := frozen_translation(rel, lang)) is not None}


def validate_frozen(history: History) -> History:
    """Read every release's frozen translations now (a build does, before writing anything); returns ``history``."""
    for rel in history:
        frozen_translations(rel)
    return history


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
    live = translation_path(options.source, lang)
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

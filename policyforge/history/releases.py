"""Released versions of the policy, loaded and verified against the lock.

Layout inside the policy source folder::

    policy.yaml              the draft (after a release: identical to the newest release)
    translations/de.yaml     a translation (the live one: the current page shows it)
    versions/2025-03-01.yaml one complete policy per release, never edited again
    versions/2025-03-01.de.yaml  the translation frozen with that release (see :mod:`.snapshots`; read by
                             :mod:`policyforge.translation.snapshots`)
    versions.lock            JSON: the sha256 of every released file, newest last

A released file whose hash no longer matches the lock, a lock entry without its file and
a version file without a lock entry all stop the build with :class:`LockError`: history is
never rewritten quietly, a correction is a new release.

Loading is in two steps. :func:`load_history` reads the lock and hash-checks every released file
(cheap: no YAML is parsed); a release's policy is read and validated the first time it is used
(:attr:`Release.policy`), so ``diff A B`` and ``release`` parse only the versions they need.
:meth:`History.validate` reads them all: a build calls it before writing anything.

A release may be dated in the future (advance notice). The version *in effect* is the newest
release whose effective date is on or before today (the build date, :func:`build_today`);
later releases are *upcoming*. ``History.newest`` is always the newest release, in effect or not.

An announcement withdrawn before it took effect (``release --withdraw``) stays in the record, its file
hash-locked like any other, but it is never in effect, never upcoming and never the base of a diff:
``History.releases`` leaves it out and ``History.withdrawn`` holds it. Its ``previous`` is the release
in effect before its date, the one its change page compares it with; a later release's ``previous``
is the release actually in effect before it, never a withdrawn one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import LockError, ReleaseError
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from ..source.revision import consent_revision as revision_of
from .dates import build_today, parse_date
from .lock import CORRECTION, LOCK_NAME, REPUBLICATION, VERSIONS_DIR, LockEntry, broken_lock, read_lock, sha256_file
from .snapshots import SNAPSHOT_NAME, snapshot_file, unlisted_snapshots, verify_snapshot

__all__ = ["History", "Release", "Withdrawal", "load_history", "same_content"]

_DATE_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")


@dataclass(frozen=True)
class Withdrawal:
    """An announced release withdrawn before it took effect: the day and the reason, as the lock records them."""

    on: dt.date
    reason: str

    def as_data(self) -> dict[str, str]:
        """``{"on": "YYYY-MM-DD", "reason": TEXT}``, as the lock, the feeds and ``versions.json`` record it."""
        return {"on": self.on.isoformat(), "reason": self.reason}


@dataclass(frozen=True, eq=False)
class Release:
    """One released version, verified against the lock; its policy is read on first use.

    ``load`` reads and validates the released file (raising :class:`SourceError` or
    :class:`LockError`); ``previous`` is the release before it, which decides whether this one
    is consent-relevant.
    """

    effective: dt.date
    file: str
    sha256: str
    summary: str
    load: Callable[[], Policy] = field(repr=False)
    previous: Release | None = field(default=None, repr=False)
    published: dt.date | None = None  # the day it was made, as the lock records it (older locks do not)
    republished: bool = False  # released with --republish: the text did not change
    translations: Mapping[str, str] = field(default_factory=dict)  # language → sha256 of its frozen file
    options: ProjectOptions | None = field(default=None, repr=False)  # where its frozen translations are read
    withdrawn: Withdrawal | None = None  # set when the announcement was withdrawn before it took effect

    @cached_property
    def policy(self) -> Policy:
        """The released policy (read and validated once, when first needed)."""
        return self.load()

    @cached_property
    def consent_revision(self) -> str:
        return revision_of(self.policy)

    @property
    def consent_relevant(self) -> bool:
        """True when the consent revision differs from the previous release's (never for the first)."""
        return self.previous is not None and self.previous.consent_revision != self.consent_revision

    @property
    def date(self) -> str:
        """The effective date as ``YYYY-MM-DD`` (also the version's name)."""
        return self.effective.isoformat()

    @property
    def published_on(self) -> dt.date:
        """The day the version was made public: the lock's ``published``, else its ``updated:`` date."""
        return self.published or self.policy.updated or self.effective

    def lock_entry(self) -> LockEntry:
        """This release's entry in ``versions.lock``."""
        entry: LockEntry = {"effective": self.date, "file": self.file, "sha256": self.sha256, "summary": self.summary}
        if self.published is not None:
            entry["published"] = self.published.isoformat()
        if self.republished:
            entry["kind"] = REPUBLICATION
        if self.translations:
            entry["translations"] = dict(self.translations)
        if self.withdrawn is not None:
            entry["withdrawn"] = self.withdrawn.as_data()
        return entry

    def translation_file(self, lang: str) -> str | None:
        """``versions/DATE.LANG.yaml`` when a translation in ``lang`` was frozen with this release."""
        return snapshot_file(self.date, lang) if lang in self.translations else None


@dataclass(frozen=True)
class History:
    """Every release, oldest first, and the day that decides which one is in effect.

    ``withdrawn``: the announcements withdrawn before they took effect, oldest first (kept in the record,
    in no other list).
    """

    releases: tuple[Release, ...] = ()
    today: dt.date = field(default_factory=build_today)
    withdrawn: tuple[Release, ...] = ()

    def __iter__(self) -> Iterator[Release]:
        return iter(self.releases)

    def __len__(self) -> int:
        return len(self.releases)

    @property
    def newest(self) -> Release | None:
        """The newest release, whether in effect or upcoming (``release`` dates must follow it)."""
        return self.releases[-1] if self.releases else None

    def in_effect(self, today: dt.date | None = None) -> Release | None:
        """The newest release whose effective date is on or before ``today`` (default: ``self.today``)."""
        day = self.today if today is None else today
        live = [r for r in self.releases if r.effective <= day]
        return live[-1] if live else None

    def shown(self) -> Release | None:
        """The release a site shows as its current version: the one in effect, else (before the first one
        takes effect) the first, marked upcoming; None before any release."""
        return self.in_effect() or (self.releases[0] if self.releases else None)

    def upcoming(self, today: dt.date | None = None) -> tuple[Release, ...]:
        """Releases that take effect after ``today`` (default: ``self.today``), oldest first."""
        day = self.today if today is None else today
        return tuple(r for r in self.releases if r.effective > day)

    def is_upcoming(self, rel: Release) -> bool:
        """True when ``rel`` is not in effect yet."""
        return rel.effective > self.today

    def record(self) -> tuple[Release, ...]:
        """Every release ever announced, withdrawn ones included, oldest first (the lock's order)."""
        return tuple(sorted((*self.releases, *self.withdrawn), key=lambda r: r.effective))

    def lock_entries(self) -> list[LockEntry]:
        """The lock's entries for this history, withdrawn announcements included, oldest first."""
        return [r.lock_entry() for r in self.record()]

    def get(self, date: str | dt.date) -> Release:
        """The release of ``date``; :class:`ReleaseError` naming the known dates otherwise (and saying so
        for a withdrawn announcement, which is no version of the policy)."""
        key = date.isoformat() if isinstance(date, dt.date) else date
        for rel in self.releases:
            if rel.date == key:
                return rel
        for rel in self.withdrawn:
            if rel.withdrawn is not None and rel.date == key:
                raise ReleaseError(
                    f"the release {key} was withdrawn on {rel.withdrawn.on} ({rel.withdrawn.reason}); "
                    "it never took effect"
                )
        known = ", ".join(r.date for r in self.releases) or "none yet"
        raise ReleaseError(f"no release with effective date {key!r} (released: {known})")

    def validate(self) -> History:
        """Read and validate every release now (a build does, before writing anything, and reads their frozen
        translations with :func:`policyforge.translation.snapshots.validate_frozen`); returns ``self``."""
        for rel in self.record():
            _ = rel.policy
        return self

    def neighbours(self, rel: Release) -> tuple[Release | None, Release | None]:
        """The releases before and after ``rel``."""
        i = self.releases.index(rel)
        before = self.releases[i - 1] if i > 0 else None
        after = self.releases[i + 1] if i + 1 < len(self.releases) else None
        return before, after


# --- Loading and verifying -------------------------------------------------------------------


def load_history(options: ProjectOptions, today: dt.date | None = None) -> History:
    """Verify every released file against ``versions.lock`` (hashes, names, order), oldest first.

    Policies are read when first used (:attr:`Release.policy`) or all at once by
    :meth:`History.validate`. ``today`` decides which release is in effect (default: :func:`build_today`).
    """
    entries = read_lock(options)
    lock_shown = options.display(options.source / LOCK_NAME)
    locked = {e["file"] for e in entries}
    vdir = options.source / VERSIONS_DIR
    on_disk = sorted(p for p in vdir.glob("*.yaml") if p.is_file()) if vdir.is_dir() else []
    snapshots = [p for p in on_disk if SNAPSHOT_NAME.match(p.name)]
    unlisted_snapshots(options, entries, snapshots)
    for path in on_disk:
        if path in snapshots:
            continue
        rel = f"{VERSIONS_DIR}/{path.name}"
        if rel not in locked:
            raise LockError(
                f"{options.display(path)}: version file without an entry in {lock_shown} "
                f"(expected: no such file; actual sha256 {sha256_file(path)})",
                hint="Versions are created only by `policyforge release`: remove the file, put its "
                "content in policy.yaml and release it; if it was released on another machine, "
                f"take its {lock_shown} from version control too.",
            )
    releases: list[Release] = []
    withdrawn: list[Release] = []
    last: dt.date | None = None
    for entry in entries:
        found = _verified(options, entry, releases[-1] if releases else None, last, lock_shown)
        (withdrawn if found.withdrawn is not None else releases).append(found)
        last = found.effective
    return History(tuple(releases), build_today() if today is None else today, tuple(withdrawn))


def _verified(
    options: ProjectOptions, entry: LockEntry, previous: Release | None, last: dt.date | None, lock_shown: str
) -> Release:
    """The release of lock ``entry``, hash-checked; ``previous`` is the release in effect before it, ``last``
    the date of the entry before it (withdrawn or not)."""
    path = options.source / entry["file"]
    shown = options.display(path)
    match = _DATE_FILE.match(Path(entry["file"]).name)
    expected_file = f"{VERSIONS_DIR}/{entry['effective']}.yaml"
    effective = parse_date(entry["effective"])
    if effective is None:  # _read_lock checked it already; kept for callers passing their own entries
        raise LockError(
            f"{lock_shown}: effective {entry['effective']!r} is not a date in the form YYYY-MM-DD",
            hint=broken_lock(lock_shown),
        )
    if not match or entry["file"] != expected_file:
        raise LockError(
            f"{lock_shown}: entry {entry['effective']!r} names {entry['file']!r}; expected {expected_file!r}",
            hint=broken_lock(lock_shown),
        )
    if not path.is_file():
        raise LockError(
            f"{shown}: released file is missing (expected sha256 {entry['sha256']}, actual: no file)",
            hint="A released version is part of the published history: restore the file from version control.",
        )
    actual = sha256_file(path)
    if actual != entry["sha256"]:
        raise LockError(
            f"{shown}: released file was modified (expected sha256 {entry['sha256']}, actual {actual})", hint=CORRECTION
        )
    if last is not None and effective <= last:
        raise LockError(
            f"{lock_shown}: {entry['effective']} is listed after {last}; releases must be in date order, newest last",
            hint=broken_lock(lock_shown),
        )
    published = parse_date(entry["published"]) if "published" in entry else None
    gone = entry.get("withdrawn")
    withdrawn = Withdrawal(dt.date.fromisoformat(gone["on"]), gone["reason"]) if gone else None
    translations: dict[str, str] = dict(entry.get("translations", {}))
    for lang, digest in translations.items():
        verify_snapshot(options, entry["effective"], lang, digest)

    def load() -> Policy:
        policy = load_policy(path, allow_html=options.allow_html, display=shown)
        if policy.effective != effective:
            raise LockError(
                f"{shown}: its effective date {policy.effective} differs from its release date "
                f"{entry['effective']} in {lock_shown}",
                hint=CORRECTION,
            )
        return policy

    return Release(
        effective,
        entry["file"],
        actual,
        entry["summary"],
        load,
        previous,
        published,
        entry.get("kind") == REPUBLICATION,
        translations,
        options,
        withdrawn,
    )


def same_content(a: Policy, b: Policy) -> bool:
    """True when two policies differ at most in their effective and updated dates."""
    blank: dict[str, Any] = {"effective": None, "updated": None}
    return a.model_copy(update=blank) == b.model_copy(update=blank)

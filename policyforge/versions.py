"""Released versions of the policy: the lock file, its verification and ``release``.

Layout inside the policy source folder::

    policy.yaml              the draft (after a release: identical to the newest release)
    versions/2025-03-01.yaml one complete policy per release, never edited again
    versions.lock            JSON: the sha256 of every released file, newest last

A released file whose hash no longer matches the lock, a lock entry without its file and
a version file without a lock entry all stop the build with :class:`LockError`: history is
never rewritten quietly, a correction is a new release.

A release may be dated in the future (advance notice). The version *in effect* is the newest
release whose effective date is on or before today (the build date, :func:`build_today`);
later releases are *upcoming*. ``History.newest`` is always the newest release, in effect or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .consent import consent_revision
from .errors import BuildError, LockError, ReleaseError
from .lint import lint_file
from .load import load_policy
from .model import Policy
from .project import ProjectOptions

__all__ = [
    "LOCK_FORMAT",
    "TODAY_ENV",
    "History",
    "Release",
    "build_today",
    "changes_path",
    "data_path",
    "load_history",
    "release",
    "same_content",
    "set_dates",
    "since_path",
    "text_path",
]

LOCK_FORMAT = 1
LOCK_NAME = "versions.lock"
VERSIONS_DIR = "versions"
TODAY_ENV = "POLICYFORGE_TODAY"
_DATE_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CORRECTION = ("A correction is a new release: restore the file from version control, "
               "then run `policyforge release`.")


@dataclass(frozen=True)
class Release:
    """One released version, verified against the lock."""

    effective: dt.date
    file: str
    sha256: str
    summary: str
    policy: Policy
    consent_revision: str
    consent_relevant: bool

    @property
    def date(self) -> str:
        """The effective date as ``YYYY-MM-DD`` (also the version's name)."""
        return self.effective.isoformat()


def _parse_date(text: str) -> dt.date | None:
    """A strict ``YYYY-MM-DD`` date, or None (for ``2025-02-30``, ``20250101``, ...)."""
    if not _ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def build_today() -> dt.date:
    """The date that decides which release is in effect: ``$POLICYFORGE_TODAY`` or the system date.

    This is the only place that reads the clock or the variable; set ``POLICYFORGE_TODAY=YYYY-MM-DD``
    to preview the site as it will be on another day (and in tests).
    """
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return dt.date.today()
    day = _parse_date(raw)
    if day is None:
        raise BuildError(f"{TODAY_ENV}={raw!r} is not a date in the form YYYY-MM-DD; unset it to use today's date")
    return day


@dataclass(frozen=True)
class History:
    """Every release, oldest first, and the day that decides which one is in effect."""

    releases: tuple[Release, ...] = ()
    today: dt.date = field(default_factory=build_today)

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

    def upcoming(self, today: dt.date | None = None) -> tuple[Release, ...]:
        """Releases that take effect after ``today`` (default: ``self.today``), oldest first."""
        day = self.today if today is None else today
        return tuple(r for r in self.releases if r.effective > day)

    def is_upcoming(self, rel: Release) -> bool:
        """True when ``rel`` is not in effect yet."""
        return rel.effective > self.today

    def get(self, date: str | dt.date) -> Release:
        """The release of ``date``; :class:`ReleaseError` naming the known dates otherwise."""
        key = date.isoformat() if isinstance(date, dt.date) else date
        for rel in self.releases:
            if rel.date == key:
                return rel
        known = ", ".join(r.date for r in self.releases) or "none yet"
        raise ReleaseError(f"no release with effective date {key!r} (released: {known})")

    def neighbours(self, rel: Release) -> tuple[Release | None, Release | None]:
        """The releases before and after ``rel``."""
        i = self.releases.index(rel)
        before = self.releases[i - 1] if i > 0 else None
        after = self.releases[i + 1] if i + 1 < len(self.releases) else None
        return before, after


# --- URLs of the generated pages -------------------------------------------------------------

def text_path(date: str) -> str:
    """Site path of an archived version's text."""
    return f"versions/{date}/"


def changes_path(date: str) -> str:
    """Site path of the page showing what a version changed."""
    return f"changes/{date}/"


def since_path(date: str) -> str:
    """Site path of the page showing every change from ``date`` to the current version."""
    return f"changes/since/{date}/"


def data_path(date: str) -> str:
    """Site path of an archived version as data."""
    return f"versions/{date}/policy.json"


# --- Lock file -------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_lock(options: ProjectOptions) -> list[dict[str, str]]:
    lock = options.source / LOCK_NAME
    shown = options.display(lock)
    if not lock.exists():
        return []
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LockError(f"{shown}: not readable JSON ({exc}). {_CORRECTION}") from None
    entries = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT or not isinstance(entries, list):
        expected = json.dumps({"format": LOCK_FORMAT, "versions": ["..."]})
        raise LockError(f"{shown}: expected {expected}. {_CORRECTION}")
    out: list[dict[str, str]] = []
    keys = ("effective", "file", "sha256", "summary")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise LockError(f"{shown}: entry {i + 1} needs the strings {', '.join(keys)}. {_CORRECTION}")
        if _parse_date(entry["effective"]) is None:
            raise LockError(f"{shown}: entry {i + 1} has effective {entry['effective']!r}, which is not a "
                            f"valid date in the form YYYY-MM-DD. {_CORRECTION}")
        if not _SHA256.match(entry["sha256"]):
            raise LockError(f"{shown}: entry {i + 1} has sha256 {entry['sha256']!r}; expected 64 lowercase "
                            f"hex digits. {_CORRECTION}")
        out.append({k: entry[k] for k in keys})
    return out


def _lock_text(entries: list[dict[str, str]]) -> str:
    data = {"format": LOCK_FORMAT, "versions": [
        {"effective": e["effective"], "file": e["file"], "sha256": e["sha256"], "summary": e["summary"]}
        for e in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- Loading and verifying -------------------------------------------------------------------

def load_history(options: ProjectOptions, today: dt.date | None = None) -> History:
    """Verify every released file against ``versions.lock`` and load them, oldest first.

    ``today`` decides which release is in effect (default: :func:`build_today`).
    """
    entries = _read_lock(options)
    lock_shown = options.display(options.source / LOCK_NAME)
    locked = {e["file"] for e in entries}
    vdir = options.source / VERSIONS_DIR
    on_disk = sorted(p for p in vdir.glob("*.yaml") if p.is_file()) if vdir.is_dir() else []
    for path in on_disk:
        rel = f"{VERSIONS_DIR}/{path.name}"
        if rel not in locked:
            raise LockError(f"{options.display(path)}: version file without an entry in {lock_shown} "
                            f"(expected: no such file; actual sha256 {_sha256(path)}). Versions are created "
                            "only by `policyforge release`; remove the file and release it properly. "
                            f"{_CORRECTION}")
    releases: list[Release] = []
    previous: Release | None = None
    for entry in entries:
        releases.append(previous := _verified(options, entry, previous, lock_shown))
    return History(tuple(releases), build_today() if today is None else today)


def _verified(options: ProjectOptions, entry: dict[str, str], previous: Release | None,
              lock_shown: str) -> Release:
    path = options.source / entry["file"]
    shown = options.display(path)
    match = _DATE_FILE.match(Path(entry["file"]).name)
    expected_file = f"{VERSIONS_DIR}/{entry['effective']}.yaml"
    effective = _parse_date(entry["effective"])
    if effective is None:  # _read_lock checked it already; kept for callers passing their own entries
        raise LockError(f"{lock_shown}: effective {entry['effective']!r} is not a date in the form "
                        f"YYYY-MM-DD. {_CORRECTION}")
    if not match or entry["file"] != expected_file:
        raise LockError(f"{lock_shown}: entry {entry['effective']!r} names {entry['file']!r}; expected "
                        f"{expected_file!r}. {_CORRECTION}")
    if not path.is_file():
        raise LockError(f"{shown}: released file is missing (expected sha256 {entry['sha256']}, "
                        "actual: no file). "
                        f"{_CORRECTION}")
    actual = _sha256(path)
    if actual != entry["sha256"]:
        raise LockError(f"{shown}: released file was modified (expected sha256 {entry['sha256']}, actual "
                        f"{actual}). {_CORRECTION}")
    if previous is not None and effective <= previous.effective:
        raise LockError(f"{lock_shown}: {entry['effective']} is listed after {previous.date}; "
                        f"releases must be in date order, newest last. {_CORRECTION}")
    policy = load_policy(path, allow_html=options.allow_html, display=shown)
    if policy.effective != effective:
        raise LockError(f"{shown}: its effective date {policy.effective} differs from its release date "
                        f"{entry['effective']} in {lock_shown}. {_CORRECTION}")
    revision = consent_revision(policy)
    relevant = previous is not None and previous.consent_revision != revision
    return Release(effective, entry["file"], actual, entry["summary"], policy, revision, relevant)


def same_content(a: Policy, b: Policy) -> bool:
    """True when two policies differ at most in their effective and updated dates."""
    blank: dict[str, Any] = {"effective": None, "updated": None}
    return a.model_copy(update=blank) == b.model_copy(update=blank)


# --- Releasing -------------------------------------------------------------------------------

_TOP_KEY = r"^{key}:[^\n]*$"


def set_dates(text: str, effective: dt.date) -> str:
    """The YAML text with its top-level ``effective:`` and ``updated:`` lines set to ``effective``."""
    for key in ("effective", "updated"):
        line = f"{key}: {effective.isoformat()}"
        pattern = re.compile(_TOP_KEY.format(key=key), re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
            continue
        anchor = re.search(r"^(?:product|title):[^\n]*\n", text, re.MULTILINE)
        at = anchor.end() if anchor else 0
        text = text[:at] + line + "\n" + text[at:]
    return text


def release(options: ProjectOptions, effective: dt.date, summary: str) -> Release:
    """Freeze ``policy.yaml`` as ``versions/DATE.yaml`` and record it in ``versions.lock``.

    Raises :class:`SourceError` for an invalid draft, :class:`LockError` when the existing
    history does not verify, and :class:`ReleaseError` for a date that is not after the
    newest release, a draft identical to it, or an empty summary.
    """
    summary = " ".join(summary.split())
    if not summary:
        raise ReleaseError("the summary must not be empty: say in one sentence what this version changes")
    draft_file = options.policy_file
    draft = load_policy(draft_file, allow_html=options.allow_html, display=options.display(draft_file))
    errors = [f for f in lint_file(draft_file, draft, display=options.display(draft_file)) if f.severity == "error"]
    if errors:
        listed = "\n".join(f"  {f}" for f in errors)
        raise ReleaseError(f"the draft has {len(errors)} lint error(s); a released version can never be changed, "
                           f"so fix them first:\n{listed}",
                           hint="every rule is explained on the \"Lint rules\" page (docs/lint-rules.md)")
    history = load_history(options)
    newest = history.newest
    if newest is not None:
        if effective <= newest.effective:
            raise ReleaseError(f"effective date {effective} is not after the newest release {newest.date}; "
                               "a new version must take effect later than every released one")
        if same_content(draft, newest.policy):
            raise ReleaseError(f"{options.display(draft_file)} is identical to the newest release "
                               f"{newest.date} ({newest.file}); edit the policy before releasing")
    text = set_dates(draft_file.read_text(encoding="utf-8"), effective)
    target = options.source / VERSIONS_DIR / f"{effective.isoformat()}.yaml"
    _write_atomic(target, text)
    try:
        frozen = load_policy(target, allow_html=options.allow_html, display=options.display(target))
        if not same_content(frozen, draft) or frozen.effective != effective:
            raise ReleaseError(f"could not set the effective date in {options.display(draft_file)}: "
                               "write `effective:` and `updated:` as top-level keys")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    entries = [{"effective": r.date, "file": r.file, "sha256": r.sha256, "summary": r.summary}
               for r in history]
    digest = _sha256(target)
    entries.append({"effective": effective.isoformat(), "file": f"{VERSIONS_DIR}/{target.name}",
                    "sha256": digest, "summary": summary})
    _write_atomic(options.source / LOCK_NAME, _lock_text(entries))
    _write_atomic(draft_file, text)
    revision = consent_revision(frozen)
    relevant = newest is not None and newest.consent_revision != revision
    return Release(effective, entries[-1]["file"], digest, summary, frozen, revision, relevant)

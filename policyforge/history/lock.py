"""The lock file ``versions.lock``: the sha256 of every released file, newest last.

An entry may also list the translations frozen with its release (``translations``: language →
sha256 of ``versions/DATE.LANG.yaml``); locks written before translations existed have none and
stay readable. An announcement withdrawn before it took effect keeps its entry (and its hash-locked file)
with ``withdrawn``: ``{"on": DATE, "reason": TEXT}``; locks written before withdrawals were recorded have
none. It is read strictly (a malformed lock is a :class:`LockError`) and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ..errors import LockError
from ..source.options import LANGUAGE_TAG, ProjectOptions
from .dates import parse_date

__all__ = [
    "CORRECTION",
    "LOCK_FORMAT",
    "LOCK_NAME",
    "REPUBLICATION",
    "VERSIONS_DIR",
    "LockEntry",
    "broken_lock",
    "lock_text",
    "read_lock",
    "sha256_file",
    "write_atomic",
]

LOCK_FORMAT = 1
LOCK_NAME = "versions.lock"
REPUBLICATION = "republication"  # lock entry kind of a version whose text did not change
VERSIONS_DIR = "versions"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LANG = re.compile(LANGUAGE_TAG)
# One entry of the lock: strings, except ``translations`` (language → sha256 of its frozen file).
LockEntry = dict[str, Any]
CORRECTION = (
    "A published version is never rewritten: restore the file from version control, then make "
    "the correction in policy.yaml and release it as a new version."
)


def broken_lock(shown: str) -> str:
    """The hint for a lock that is malformed or inconsistent (not for a modified version file)."""
    return (
        f"{shown} is written only by `policyforge release` (and `release --withdraw`): restore it from "
        f"version control (e.g. `git checkout -- {shown}`) rather than editing it by hand."
    )


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_lock(options: ProjectOptions) -> list[LockEntry]:
    """The lock's entries, oldest first; :class:`LockError` (with a hint to restore it) when malformed.

    ``published`` (the day a release was made) is optional: locks written before it existed stay readable.
    ``kind`` is present only for a republication (``"republication"``: the text did not change).
    ``translations`` (optional) maps each language frozen with the release to its file's sha256.
    ``withdrawn`` (optional) records the day an announced release was withdrawn and why.
    """
    lock = options.source / LOCK_NAME
    shown = options.display(lock)
    if not lock.exists():
        return []
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LockError(f"{shown}: the lock file cannot be read ({_why(exc)})", hint=broken_lock(shown)) from None
    entries = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT or not isinstance(entries, list):
        expected = json.dumps({"format": LOCK_FORMAT, "versions": ["..."]})
        raise LockError(f"{shown}: this is not a policyforge lock file: expected {expected}", hint=broken_lock(shown))
    out: list[LockEntry] = []
    keys = ("effective", "file", "sha256", "summary")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise LockError(f"{shown}: entry {i + 1} needs the strings {', '.join(keys)}", hint=broken_lock(shown))
        for key in ("effective", "published"):
            value = entry.get(key)
            if (key in entry or key == "effective") and (not isinstance(value, str) or parse_date(value) is None):
                raise LockError(
                    f"{shown}: entry {i + 1} has {key} {value!r}, which is not a valid date in the form YYYY-MM-DD",
                    hint=broken_lock(shown),
                )
        if entry.get("kind", REPUBLICATION) != REPUBLICATION:
            raise LockError(
                f"{shown}: entry {i + 1} has kind {entry.get('kind')!r}; the only kind is "
                f"{REPUBLICATION!r} (a version whose text did not change)",
                hint=broken_lock(shown),
            )
        if not _SHA256.match(entry["sha256"]):
            raise LockError(
                f"{shown}: entry {i + 1} has sha256 {entry['sha256']!r}; expected 64 lowercase hex digits",
                hint=broken_lock(shown),
            )
        if "translations" in entry:
            _check_translations(entry["translations"], i + 1, shown)
        if "withdrawn" in entry:
            _check_withdrawn(entry["withdrawn"], i + 1, shown)
        out.append({k: entry[k] for k in (*keys, "published", "kind", "translations", "withdrawn") if k in entry})
    return out


def _check_translations(value: object, number: int, shown: str) -> None:
    """``translations`` of lock entry ``number``: an object of language tag → sha256."""
    if not isinstance(value, dict):
        raise LockError(
            f"{shown}: entry {number} has translations {value!r}; expected an object of language → sha256",
            hint=broken_lock(shown),
        )
    for lang, digest in value.items():
        if not _LANG.match(lang):
            raise LockError(
                f"{shown}: entry {number} lists the translation {lang!r}, which is not a language "
                "tag such as de or pt-BR",
                hint=broken_lock(shown),
            )
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise LockError(
                f"{shown}: entry {number} has sha256 {digest!r} for its translation {lang}; expected "
                "64 lowercase hex digits",
                hint=broken_lock(shown),
            )


def _check_withdrawn(value: object, number: int, shown: str) -> None:
    """``withdrawn`` of lock entry ``number``: ``{"on": "YYYY-MM-DD", "reason": "..."}``."""
    on = value.get("on") if isinstance(value, dict) else None
    reason = value.get("reason") if isinstance(value, dict) else None
    if (
        not isinstance(value, dict)
        or set(value) != {"on", "reason"}
        or not isinstance(on, str)
        or parse_date(on) is None
        or not isinstance(reason, str)
        or not reason.strip()
    ):
        raise LockError(
            f"{shown}: entry {number} has withdrawn {value!r}; expected "
            '{"on": "YYYY-MM-DD", "reason": "why it was withdrawn"}',
            hint=broken_lock(shown),
        )


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(getattr(exc, "strerror", None) or exc)


def lock_text(entries: list[LockEntry]) -> str:
    """The lock file's JSON text for ``entries`` (oldest first); an empty ``translations`` is left out."""
    order = ("effective", "published", "kind", "file", "sha256", "translations", "summary", "withdrawn")
    entries = [{k: v for k, v in e.items() if k != "translations" or v} for e in entries]
    data = {"format": LOCK_FORMAT, "versions": [{k: e[k] for k in order if k in e} for e in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _normal_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would leave: the existing file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, byte-exact) to ``path`` through a temporary file and a rename,
    with the mode a normal write gives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _normal_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

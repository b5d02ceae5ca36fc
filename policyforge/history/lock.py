"""The lock file ``versions.lock``: the sha256 of every released file, newest last.

It is read strictly (a malformed lock is a :class:`LockError`) and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from ..errors import LockError
from ..source.options import ProjectOptions
from .dates import parse_date

__all__ = [
    "CORRECTION",
    "LOCK_FORMAT",
    "LOCK_NAME",
    "VERSIONS_DIR",
    "lock_text",
    "read_lock",
    "sha256_file",
    "write_atomic",
]

LOCK_FORMAT = 1
LOCK_NAME = "versions.lock"
VERSIONS_DIR = "versions"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CORRECTION = ("A correction is a new release: restore the file from version control, "
              "then run `policyforge release`.")

def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_lock(options: ProjectOptions) -> list[dict[str, str]]:
    lock = options.source / LOCK_NAME
    shown = options.display(lock)
    if not lock.exists():
        return []
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LockError(f"{shown}: not readable JSON ({exc}). {CORRECTION}") from None
    entries = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT or not isinstance(entries, list):
        expected = json.dumps({"format": LOCK_FORMAT, "versions": ["..."]})
        raise LockError(f"{shown}: expected {expected}. {CORRECTION}")
    out: list[dict[str, str]] = []
    keys = ("effective", "file", "sha256", "summary")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise LockError(f"{shown}: entry {i + 1} needs the strings {', '.join(keys)}. {CORRECTION}")
        if parse_date(entry["effective"]) is None:
            raise LockError(f"{shown}: entry {i + 1} has effective {entry['effective']!r}, which is not a "
                            f"valid date in the form YYYY-MM-DD. {CORRECTION}")
        if not _SHA256.match(entry["sha256"]):
            raise LockError(f"{shown}: entry {i + 1} has sha256 {entry['sha256']!r}; expected 64 lowercase "
                            f"hex digits. {CORRECTION}")
        out.append({k: entry[k] for k in keys})
    return out


def lock_text(entries: list[dict[str, str]]) -> str:
    data = {"format": LOCK_FORMAT, "versions": [
        {"effective": e["effective"], "file": e["file"], "sha256": e["sha256"], "summary": e["summary"]}
        for e in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""Diffs between released versions, kept on disk from one build to the next.

A released file never changes (its sha256 is in ``versions.lock``), so the diff of two releases
depends only on their two hashes, their labels and policyforge's own code. A build keeps them in
``.cache/policyforge/diffs/`` next to mkdocs.yml (``.cache/`` is where MkDocs themes keep theirs):
a build after an edit to the draft or the docs re-diffs no release, and a build after a new
release diffs only the pairs that release brings (its own changes, and every "changes since"
page, which now compares with it). Entries of another policyforge version, and pairs no longer
shown, are removed by :meth:`DiffCache.prune`.

The entries are JSON data (:mod:`.diff_codec`), never pickles: a ``.cache/`` folder is often shared or
restored (a CI cache, a synced folder) with less care than the project itself, and reading an entry must
not run code. An entry that cannot be read as a diff of the pair it is named after (missing, truncated,
planted, from another format version) is computed again, and a folder that cannot be written is not cached.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import sys
from importlib import metadata
from pathlib import Path

from .diff import PolicyDiff, diff_policies
from .diff_codec import decode, encode
from .lock import write_atomic
from .releases import Release

__all__ = ["CACHE_DIR", "DiffCache", "code_key"]

CACHE_DIR = Path(".cache") / "policyforge" / "diffs"
_DEPENDENCIES = ("markdown-it-py", "mdit-py-plugins", "pydantic", "nh3")
_SUFFIX = ".json"


@functools.cache
def code_key() -> str:
    """A hash of everything a diff depends on besides its two inputs: policyforge's code and parsers."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    for name in _DEPENDENCIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()[:16]


class DiffCache:
    """Diffs of release pairs, read from ``folder`` when present there, else computed and stored.

    ``folder`` None: nothing is read or written (every diff is computed).
    """

    def __init__(self, folder: Path | None, *, allow_html: bool = False) -> None:
        self.root = folder
        self.folder = folder / code_key() if folder is not None else None
        self.allow_html = allow_html
        self.used: dict[str, PolicyDiff] = {}  # this build's diffs by entry name: a pair asked twice is read once

    def diff(self, old: Release, new: Release, *, republished: bool = False) -> PolicyDiff:
        """What changed from release ``old`` to release ``new`` (labelled with their dates).

        ``republished``: ``new`` was released as a republication of ``old`` (see :func:`diff_policies`).
        """
        key = f"{old.sha256}:{new.sha256}:{old.date}:{new.date}:{int(self.allow_html)}:{int(republished)}"
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + _SUFFIX
        result = self.used[name] if name in self.used else self._read(name, key)
        if result is None:
            result = diff_policies(
                old.policy, new.policy, old_label=old.date, new_label=new.date, republished=republished
            )
            self._write(name, key, result)
        self.used[name] = result
        return result

    def _read(self, name: str, key: str) -> PolicyDiff | None:
        if self.folder is None:
            return None
        try:
            return decode((self.folder / name).read_bytes(), key)
        except (OSError, ValueError):  # missing, unreadable, or not a diff of this pair: compute it again
            return None

    def _write(self, name: str, key: str, value: PolicyDiff) -> None:
        if self.folder is None:
            return
        try:
            write_atomic(self.folder / name, encode(value, key))
        except OSError:  # a read-only project still builds, uncached
            return
        except TypeError:  # a diff holding a value the data format cannot keep exactly is computed each time
            return

    def prune(self) -> None:
        """Remove entries not used since this cache was opened, and the folders of other code versions."""
        if self.root is None or self.folder is None or not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other.is_dir() and not other.is_symlink() and other != self.folder and len(other.name) == 16:
                shutil.rmtree(other, ignore_errors=True)
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)

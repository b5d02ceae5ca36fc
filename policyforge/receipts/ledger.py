"""The policy history as the receipts service checks it: which versions, hashes and categories exist.

A receipt of format 2 names a consent revision: its version is the newest release with that revision in
effect on the day (UTC) the receipt arrives; a revision no release in effect has is refused. A receipt of
format 1 names a released version (its effective date), that version's sha256 from ``versions.lock`` and
its consent revision. Either must list exactly that version's categories between granted and refused,
with every required category granted. A receipt of format 3 is one of format 2 that may also list the
version's services (``category:service``) and leave out a category the visitor has not decided; what it
lists must exist in the version, and every required category must be granted. When ``versions.lock``
changes while the service runs (a new release), the history is read again on the next unknown version or
revision.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import PolicyError
from ..history.releases import History, Release, load_history
from ..source.options import ProjectOptions
from .errors import ReceiptInvalid, ReceiptsError
from .receipt import Receipt

__all__ = ["Ledger", "VersionFacts"]


@dataclass(frozen=True)
class VersionFacts:
    """What a receipt must agree with about one released version."""

    version: str
    sha256: str
    revision: str
    categories: tuple[str, ...]
    required: frozenset[str]
    services: tuple[str, ...]
    summary: str
    effective: dt.date

    @classmethod
    def of(cls, rel: Release) -> VersionFacts:
        cats = rel.policy.categories
        return cls(
            rel.date,
            rel.sha256,
            rel.consent_revision,
            tuple(c.id for c in cats),
            frozenset(c.id for c in cats if c.required),
            tuple(f"{c.id}:{s.id}" for c in cats for s in c.services),
            rel.summary,
            rel.effective,
        )


class Ledger:
    """Released versions of one project, reloaded when its ``versions.lock`` changes."""

    def __init__(self, options: ProjectOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._versions: dict[str, VersionFacts] = {}
        self.reload()

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            st = (self.options.source / "versions.lock").stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def reload(self) -> None:
        """Read and verify the history again; :class:`ReceiptsError` when it has no release."""
        with self._lock:
            stamp = self._current_stamp()
            history: History = load_history(self.options, today=dt.date.max)
            if not history.releases:
                raise ReceiptsError(
                    f"{self.options.display(self.options.source)} has no released version: receipts "
                    "name the released version a visitor saw",
                    hint="Release the policy first: policyforge release --effective DATE --summary TEXT",
                )
            self._versions = {r.date: VersionFacts.of(r) for r in history}
            self._stamp = stamp

    @property
    def versions(self) -> dict[str, VersionFacts]:
        """Every released version by its date, oldest first."""
        return dict(self._versions)

    def _found(self, lookup: Callable[[], VersionFacts | None]) -> VersionFacts | None:
        """``lookup()`` in the history; read again first when nothing was found and the lock changed since."""
        facts = lookup()
        if facts is None and self._current_stamp() != self._stamp:
            try:
                self.reload()
            except PolicyError:  # a broken or emptied lock: keep checking against the history read before
                return None
            facts = lookup()
        return facts

    def in_effect(self, revision: str, day: dt.date) -> VersionFacts | None:
        """The newest release with consent revision ``revision`` in effect on ``day``, if any: the version a
        banner of that revision showed (releases that keep the revision show the same banner)."""
        found = [f for f in self._versions.values() if f.revision == revision and f.effective <= day]
        return max(found, key=lambda f: f.effective) if found else None

    def _resolve(self, receipt: Receipt, at: dt.datetime) -> VersionFacts:
        """The version a format 2 receipt's revision names at ``at`` (UTC); :class:`ReceiptInvalid` when none."""
        facts = self._found(lambda: self.in_effect(receipt.revision, at.date()))
        if facts is not None:
            return facts
        later = sorted(f.effective.isoformat() for f in self._versions.values() if f.revision == receipt.revision)
        why = f"takes effect on {later[0]}, not before" if later else "belongs to no released version"
        raise ReceiptInvalid([f"receipt.revision: {receipt.revision} {why} (on {at.date().isoformat()}, UTC)"])

    def check(self, receipt: Receipt, at: dt.datetime | None = None) -> Receipt:
        """The receipt as stored: a format 2 receipt with the version (and its sha256) its revision names at
        ``at`` (the server's UTC clock when it arrives; now when not given); :class:`ReceiptInvalid` (422) when
        it disagrees with the facts of its version."""
        if receipt.format != 1:
            facts = self._resolve(receipt, at or dt.datetime.now(dt.UTC).replace(tzinfo=None))
            receipt = replace(receipt, version=facts.version, sha256=facts.sha256)
        self._agrees(receipt)
        return receipt

    def _agrees(self, receipt: Receipt) -> None:
        facts = self._found(lambda: self._versions.get(receipt.version))
        if facts is None:
            known = ", ".join(self._versions)
            raise ReceiptInvalid([f"receipt.version: no released version {receipt.version!r} (released: {known})"])
        problems: list[str] = []
        if receipt.sha256 != facts.sha256:
            problems.append(
                f"receipt.sha256: {receipt.sha256} is not the sha256 of version {facts.version} in "
                f"versions.lock ({facts.sha256})"
            )
        if receipt.revision != facts.revision:
            revisions = {f.revision for f in self._versions.values()}
            what = "belongs to another version" if receipt.revision in revisions else "does not exist"
            problems.append(
                f"receipt.revision: {receipt.revision} {what}; version {facts.version} has consent "
                f"revision {facts.revision}"
            )
        listed = set(receipt.granted) | set(receipt.refused)
        expected = set(facts.categories)
        partial = receipt.format >= 3  # services listed, undecided categories left out
        extra = sorted(listed - expected - (set(facts.services) if partial else set()))
        missing = [] if partial else sorted(expected - listed)
        if extra or missing:
            detail = "; ".join(
                filter(
                    None,
                    [
                        f"unknown {', '.join(extra)}" if extra else "",
                        f"missing {', '.join(missing)}" if missing else "",
                    ],
                )
            )
            problems.append(
                f"receipt.granted/refused: must list the categories of version {facts.version} "
                f"({', '.join((*facts.categories, *facts.services) if partial else facts.categories)}): {detail}"
            )
        refused_required = sorted(facts.required & set(receipt.refused))
        if refused_required:
            problems.append(f"receipt.refused: required categories cannot be refused: {', '.join(refused_required)}")
        unlisted_required = sorted(facts.required - listed) if partial else []
        if unlisted_required:
            problems.append(f"receipt.granted: required categories are always granted: {', '.join(unlisted_required)}")
        if problems:
            raise ReceiptInvalid(problems)

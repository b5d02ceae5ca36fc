"""Translations of the policy: everything a translator-facing change touches.

Translation files (``translations/LANG.yaml``) read and checked against the original's shape
(:mod:`.read`, :mod:`.shape`, :mod:`.fingerprints`), a translation applied to a policy with each
part current, stale or missing (:mod:`.apply`), drift over the release history (:mod:`.drift`),
the files ``translate mark`` and ``translate init`` write (:mod:`.edits`), and the translations frozen
with a release (:mod:`.snapshots`: ``release`` freezes them, ``translate freeze`` adds one, archive pages
read them).

It builds on :mod:`policyforge.source` and :mod:`policyforge.history`, which never import it;
:mod:`policyforge.banner`, :mod:`policyforge.site`, the MkDocs adapter and the CLI use it."""

__all__ = [
    "apply",
    "drift",
    "edits",
    "fingerprints",
    "read",
    "shape",
    "snapshots",
]

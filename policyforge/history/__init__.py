"""The release history: the lock file, loading and verifying releases (and the translations frozen with them),
releasing, the diff, and translation drift over the releases.

It builds on :mod:`policyforge.source` and knows no URLs and no HTML."""

__all__ = [
    "dates",
    "diff",
    "diff_cache",
    "lock",
    "release",
    "releases",
    "snapshots",
    "translation_drift",
    "translation_files",
]

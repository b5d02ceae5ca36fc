"""The release history: the lock file, loading and verifying releases (and the files frozen with them),
releasing and the diff.

It builds on :mod:`policyforge.source` and knows no URLs and no HTML."""

__all__ = [
    "dates",
    "diff",
    "diff_cache",
    "lock",
    "release",
    "releases",
    "snapshots",
]

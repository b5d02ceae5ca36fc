"""The release history: the lock file, loading and verifying releases, releasing, and the diff.

It knows no URLs and no HTML."""

"""policyforge: a privacy policy in YAML, published as a versioned site with a consent banner.

The library API, for Python users (the command line is built on the same calls)::

    import policyforge

    options = policyforge.read_project(Path("mkdocs.yml"))  # the project's options
    draft = policyforge.load_policy(options.policy_file)    # a validated Policy model
    history = policyforge.load_history(options)             # every release, hash-verified (read on use)
    changes = policyforge.diff_policies(history.releases[0].policy, draft)
    outcome = policyforge.release(options, datetime.date(2027, 1, 1), "What this version changes")
    policyforge.build("mkdocs.yml")                          # the site, built atomically

Every function raises a :class:`PolicyError` subclass for bad input; ``str()`` of the error is
the message a user reads. See ``docs/api.md``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError, LockError, PolicyError, Problem, ReleaseError, SourceError
from .history.diff import PolicyDiff, diff_policies
from .history.releases import History, Release, load_history
from .source.loader import load_policy
from .source.model import Policy
from .source.options import ProjectOptions, read_project
from .source.revision import consent_revision
from .translation.snapshots import release

__all__ = [
    "BuildError",
    "History",
    "LockError",
    "Policy",
    "PolicyDiff",
    "PolicyError",
    "Problem",
    "ProjectOptions",
    "Release",
    "ReleaseError",
    "SourceError",
    "build",
    "consent_revision",
    "diff_policies",
    "load_history",
    "load_policy",
    "read_project",
    "release",
]


def build(config_file: str | Path = "mkdocs.yml", *, draft: bool = False, site_dir: str | Path | None = None) -> Path:
    """Build the site of the project whose ``mkdocs.yml`` is ``config_file``; return the site folder.

    The build runs in a temporary folder that is swapped in only when it succeeded, so a failure
    leaves the previous site untouched. Uses the MkDocs adapter, imported only when called.
    """
    from .mkdocs_plugin import engine

    return engine.build(Path(config_file), draft=draft, site_dir=Path(site_dir) if site_dir else None)

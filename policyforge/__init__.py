"""policyforge: a privacy policy in YAML, published as a versioned site with a consent banner.

The library API, for Python users (the command line is built on the same calls)::

    import policyforge

    options = policyforge.read_project(Path("mkdocs.yml"))  # the project's options
    draft = policyforge.load_policy(options.policy_file)    # a validated Policy model
    history = policyforge.load_history(options)             # every release, hash-verified (read on use)
    changes = policyforge.diff_policies(history.releases[0].policy, draft)
    outcome = policyforge.release(options, datetime.date(2027, 1, 1), "What this version changes")
    report = policyforge.check("mkdocs.yml")                 # what `policyforge check` checks
    built = policyforge.build("mkdocs.yml")                  # the site, built atomically

Every function raises a :class:`PolicyError` subclass for bad input; ``str()`` of the error is
the message a user reads. ``check`` and ``build`` apply the same gates as the command line (a
draft failing the lint raises :class:`LintError` from ``build``; ``check`` reports it). See
``docs/api.md``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError, LintError, LockError, PolicyError, Problem, ReleaseError, SourceError
from .history.diff import PolicyDiff, diff_policies
from .history.releases import History, Release, load_history
from .site.build import BuildResult, build_site
from .site.check import CheckReport, check_project
from .source.loader import load_policy
from .source.model import Policy
from .source.options import ProjectOptions, read_project
from .source.revision import consent_revision
from .translation.snapshots import release

__all__ = [
    "BuildError",
    "BuildResult",
    "CheckReport",
    "History",
    "LintError",
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
    "check",
    "consent_revision",
    "diff_policies",
    "load_history",
    "load_policy",
    "read_project",
    "release",
]


def check(config_file: str | Path = "mkdocs.yml", *, document: str | None = None, strict: bool = False) -> CheckReport:
    """Validate and lint the project whose ``mkdocs.yml`` is ``config_file`` without building (``policyforge check``).

    Problems raise a :class:`SourceError` listing them all; the report holds each document's lint
    findings, warnings and translation counts, and ``report.failed`` is the lint gate (errors; with
    ``strict``, any finding). ``document``: only that document of a project with several.
    """
    return check_project(read_project(Path(config_file), draft=True), document, strict=strict)


def build(
    config_file: str | Path = "mkdocs.yml", *, draft: bool = False, site_dir: str | Path | None = None
) -> BuildResult:
    """Build the site of the project whose ``mkdocs.yml`` is ``config_file`` (``policyforge build``).

    The same gates as the command line run first (a draft failing the lint raises :class:`LintError`).
    The build runs in a temporary folder that is swapped in only when it succeeded, so a failure
    leaves the previous site untouched. Returns a :class:`BuildResult`: ``site_dir``, ``pages``,
    ``lint`` (the findings of the policy shown), ``banner``. Uses the MkDocs adapter, imported only
    when called.
    """
    from .mkdocs_plugin import engine

    config = Path(config_file)
    options = read_project(config, draft=draft or None, site_dir=Path(site_dir) if site_dir else None)
    return build_site(options, lambda inputs: engine.build(config, prepared=inputs))

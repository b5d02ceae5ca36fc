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

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BuildError, LintError, LockError, PolicyError, Problem, ReleaseError, SourceError

if TYPE_CHECKING:
    from .history.diff import PolicyDiff, diff_policies
    from .history.releases import History, Release, load_history
    from .site.build import BuildResult
    from .site.check import CheckReport
    from .source.loader import load_policy
    from .source.model import Policy
    from .source.options import ProjectOptions, read_project
    from .source.revision import consent_revision
    from .translation.snapshots import release

#: The library's names that live in other modules, imported on first use: ``import policyforge`` (and so
#: every command of the command line) stays quick, and each command loads only what it uses.
_LAZY = {
    "PolicyDiff": "history.diff",
    "diff_policies": "history.diff",
    "History": "history.releases",
    "Release": "history.releases",
    "load_history": "history.releases",
    "BuildResult": "site.build",
    "CheckReport": "site.check",
    "load_policy": "source.loader",
    "Policy": "source.model",
    "ProjectOptions": "source.options",
    "read_project": "source.options",
    "consent_revision": "source.revision",
    "release": "translation.snapshots",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    from .site.check import check_project
    from .source.options import read_project

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
    from .site.build import build_site
    from .source.options import read_project

    config = Path(config_file)
    options = read_project(config, draft=draft or None, site_dir=Path(site_dir) if site_dir else None)
    return build_site(options, lambda inputs: engine.build(config, prepared=inputs))

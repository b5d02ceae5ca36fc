"""CLI commands of the version history: ``release``, ``versions`` and ``diff``.

They are registered on the main group at the end of :mod:`policyforge.cli`, which turns the
:class:`PolicyError` they raise into ``ERROR:`` lines and exit code 2. Everything they print
that comes from the YAML or the lock passes through :func:`~policyforge.diff_text.terminal_safe`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..errors import ReleaseError
from ..history.dates import date_problem
from ..history.diff import diff_policies, diff_to_json
from ..history.release import release
from ..history.releases import History, load_history
from ..site.policy_page import format_date
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions, read_project
from ..terminal import json_safe, terminal_safe
from .common import config_option, report_errors
from .diff_text import render_terminal

__all__ = ["diff_cmd", "release_cmd", "resolve_version", "versions_cmd"]


def _date(ctx: click.Context, param: click.Parameter, value: str) -> dt.date:
    problem = date_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return dt.date.fromisoformat(value)


@click.command("release")
@config_option
@click.option("--effective", required=True, callback=_date, metavar="YYYY-MM-DD",
              help="The date the new version takes effect (after the newest release).")
@click.option("--summary", required=True, help="One sentence: what this version changes.")
@report_errors
def release_cmd(config_file: Path, effective: dt.date, summary: str) -> None:
    """Freeze policy.yaml as a new version and record its hash in versions.lock."""
    options = read_project(config_file)
    rel = release(options, effective, summary)
    click.echo(terminal_safe(f"Released {options.display(options.source / rel.file)} (sha256 {rel.sha256})."))
    history = load_history(options)
    if history.is_upcoming(rel):
        before = history.in_effect()
        until = (f"until then the version of {before.date} stays in effect" if before is not None
                 else "until then the site shows policy.yaml as before")
        click.echo(f"Upcoming: this version takes effect on {format_date(rel.effective)}; {until}. "
                   "The site lists it as upcoming and announces it in the feeds.")
    if rel.consent_relevant:
        when = "once it takes effect" if history.is_upcoming(rel) else "when the site is next built and deployed"
        click.echo(f"Consent-relevant: the consent revision is now {rel.consent_revision}; "
                   f"visitors will be asked again {when}.")
    click.echo("Commit policy.yaml, the version file and versions.lock together, then build.")


@click.command("versions")
@config_option
@report_errors
def versions_cmd(config_file: Path) -> None:
    """List the released versions: date, summary, and whether each is consent-relevant."""
    history = load_history(read_project(config_file))
    if not len(history):
        click.echo("No released versions yet. Release one with: policyforge release --effective YYYY-MM-DD "
                   "--summary \"...\"")
        return
    current = history.in_effect()
    click.echo(f"{'Effective':<10}  {'Status':<8}  {'Consent':<7}  Summary")
    for rel in reversed(history.releases):
        status = "upcoming" if history.is_upcoming(rel) else "current" if rel is current else "archived"
        mark = "yes" if rel.consent_relevant else "no"
        click.echo(terminal_safe(f"{rel.date:<10}  {status:<8}  {mark:<7}  {rel.summary}".rstrip()))


def resolve_version(options: ProjectOptions, history: History, name: str) -> tuple[str, Policy]:
    """``YYYY-MM-DD`` (a release), ``current`` (the release in effect today) or ``draft`` (policy.yaml)."""
    if name == "draft":
        path = options.policy_file
        return "draft", load_policy(path, allow_html=options.allow_html, display=options.display(path))
    if name == "current":
        current = history.in_effect()
        if current is None:
            detail = ("nothing has been released" if history.newest is None
                      else f"the first release takes effect on {history.releases[0].date}")
            raise ReleaseError(f"there is no current version yet: {detail}")
        return current.date, current.policy
    rel = history.get(name)
    return rel.date, rel.policy


@click.command("diff")
@config_option
@click.argument("old")
@click.argument("new", default="draft")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Terminal text, or JSON data.")
@report_errors
def diff_cmd(config_file: Path, old: str, new: str, fmt: str) -> None:
    """Show what changed from OLD to NEW (release dates, `current` or `draft`; NEW defaults to `draft`)."""
    options = read_project(config_file)
    history = load_history(options)
    old_label, old_policy = resolve_version(options, history, old)
    new_label, new_policy = resolve_version(options, history, new)
    d = diff_policies(old_policy, new_policy, old_label=old_label, new_label=new_label)
    if fmt == "json":
        click.echo(json_safe(json.dumps(diff_to_json(d), indent=2, ensure_ascii=False)))
    else:
        render_terminal(d, sys.stdout)

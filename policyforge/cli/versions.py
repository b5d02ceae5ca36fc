"""CLI commands of the version history: ``release``, ``versions`` and ``diff``.

They are registered on the main group at the end of :mod:`policyforge.cli`, which turns the
:class:`PolicyError` they raise into ``ERROR:`` lines and exit code 2. Everything they print
that comes from the YAML or the lock passes through :func:`~policyforge.terminal.terminal_safe` (in :func:`echo`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
from pathlib import Path

import click

from ..banner.handoff import handoff_note
from ..errors import ReleaseError
from ..history.classes import classify, reclassified_reason, recorded_revisions, release_classes
from ..history.diff import diff_policies, diff_to_json
from ..history.lock import write_atomic
from ..history.release import HANDOFF_SUFFIX
from ..history.release import withdraw as withdraw_release
from ..history.releases import History, Release, load_history
from ..history.snapshots import snapshot_file
from ..site.policy_page import format_date
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from ..terminal import json_safe
from ..translation.snapshots import release
from .common import (
    config_option,
    date_value,
    document_option,
    echo,
    read_document,
    report_errors,
    text_or_json_option,
)
from .diff_text import ENGLISH, render_terminal
from .translate import made_stale_lines

__all__ = ["diff_cmd", "release_cmd", "resolve_version", "versions_cmd"]


@click.command("release")
@config_option
@click.option(
    "--effective",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help="The date the new version takes effect (after the newest release; today or later).",
)
@click.option("--summary", help="One sentence: what this version changes.")
@click.option(
    "--published",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help='The day the version is made public, shown as "Last Updated" (default: today).',
)
@click.option(
    "--backdate",
    is_flag=True,
    help="Allow an effective date in the past (recording a version that was in effect then).",
)
@click.option(
    "--republish",
    is_flag=True,
    help="Record a version whose text did not change (a republication), shown as such everywhere.",
)
@click.option(
    "--withdraw",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help="Instead: withdraw the announced release of this date, which must not be in effect yet (needs --reason).",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="With --withdraw: why the announcement is withdrawn; with --class editorial: why the consent change "
    "is wording only (published).",
)
@click.option(
    "--class",
    "klass",
    type=click.Choice(["editorial"]),
    help="Reclassify a consent change as editorial (wording within existing cookies and categories; needs "
    "--reason): visitors are not asked again.",
)
@click.option(
    "--notice-waived",
    metavar="REASON",
    help="Release inside a notice period (notice_material, notice_subprocessor); the reason is published.",
)
@document_option
@report_errors
def release_cmd(
    config_file: Path,
    effective: dt.date | None,
    summary: str | None,
    published: dt.date | None,
    backdate: bool,
    republish: bool,
    withdraw: dt.date | None,
    reason: str | None,
    klass: str | None,
    notice_waived: str | None,
    document: str | None,
) -> None:
    """Freeze policy.yaml as a new version, record its hash in versions.lock and write its hand-off note."""
    options = read_document(config_file, document)
    if withdraw is not None:
        if effective or summary is not None or published or backdate or republish or klass or notice_waived:
            raise click.UsageError("--withdraw takes no other release option than --reason")
        if reason is None:
            raise click.UsageError('--withdraw needs --reason "..." (why the announcement is withdrawn; published)')
        gone = withdraw_release(options, withdraw, reason)
        echo(
            f"Withdrew the release {gone.date} ({gone.summary}): "
            f"versions.lock records it as withdrawn, with the reason; {options.display(options.source / gone.file)} "
            "stays, hash-locked, and the site keeps it listed as withdrawn."
        )
        echo(
            f"{options.display(options.policy_file)} is unchanged: it holds the withdrawn text, ready to "
            "be corrected and released again under another date. Commit versions.lock, then build."
        )
        return
    if (reason is not None) != (klass is not None):
        raise click.UsageError("--reason goes with --withdraw or --class editorial, and --class with --reason")
    if effective is None or summary is None:
        raise click.UsageError('release needs --effective YYYY-MM-DD and --summary "..." (or --withdraw DATE)')
    outcome = release(
        options,
        effective,
        summary,
        published=published,
        backdate=backdate,
        republish=republish,
        editorial=reason or "",
        notice_waived=notice_waived or "",
    )
    rel = outcome.release
    what = "Republished (text unchanged) as" if rel.republished else "Released"
    echo(f"{what} {options.display(options.source / rel.file)} (sha256 {rel.sha256}).")
    if rel.translations:
        copies = ", ".join(options.display(options.source / snapshot_file(rel.date, lang)) for lang in rel.translations)
        echo(f"Froze its translations as they are: {copies}.")
    previous = rel.previous.policy if rel.previous is not None else None
    for line in made_stale_lines(options, previous, rel.policy, outcome.translations):
        echo(line, err=True)
    for change in outcome.moved:
        echo(str(change), err=True)
    for warning in outcome.warnings:
        echo(f"warning: {warning}", err=True)
    history = outcome.history  # loaded once, by release()
    if history.is_upcoming(rel):
        before = history.in_effect()
        until = (
            f"until then the version of {before.date} stays in effect"
            if before is not None
            else "until then the site shows policy.yaml as before"
        )
        echo(
            f"Upcoming: this version takes effect on {format_date(rel.effective)}; {until}. "
            "The site lists it as upcoming and announces it in the feeds."
        )
    if rel.consent_relevant:
        when = "once it takes effect" if history.is_upcoming(rel) else "when the site is next built and deployed"
        echo(
            f"Consent-relevant: the consent revision is now {rel.consent_revision}; "
            f"visitors will be asked again {when}."
        )
    if rel.reclassified is not None:
        echo(
            f"Editorial: the consent change is wording only ({rel.reclassified.reason}); the consent revision "
            f"stays {rel.consent_revision}, so nobody is asked again."
        )
    if rel.notice_waived:
        echo(f"Notice period waived: {rel.notice_waived} (published with the release).")
    rel = history.get(rel.date)
    if rel.policy.consent is None:  # terms, subprocessors...: the banner comes from another document
        echo("This document declares no consent block: the banner does not change, so there is no hand-off note.")
        echo("Commit policy.yaml, the version file and versions.lock together, then build.")
        return
    note = handoff_note(options, history, rel)
    target = (options.source / rel.file).with_name(rel.date + HANDOFF_SUFFIX)
    write_atomic(target, note)
    echo(f"\nHand-off for the product team (also in {options.display(target)}):\n")
    echo(note)
    echo(
        "Commit policy.yaml, the version file, its hand-off note and versions.lock together (and the frozen "
        "translations), then build."
        if rel.translations
        else "Commit policy.yaml, the version file, its hand-off note and versions.lock together, then build."
    )


@click.command("versions")
@config_option
@click.option(
    "--handoff",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help="Print the hand-off note of this release for the product team.",
)
@document_option
@report_errors
def versions_cmd(config_file: Path, handoff: dt.date | None, document: str | None) -> None:
    """List the released versions: effective date, status, whether each is consent-relevant, the day it was
    released, its summary and the translations frozen with it."""
    options = read_document(config_file, document)
    history = load_history(options)
    if handoff is not None:
        echo(handoff_note(options, history, history.get(handoff)), nl=False)
        return
    if not history.record():
        echo('No released versions yet. Release one with: policyforge release --effective YYYY-MM-DD --summary "..."')
        return
    width = 9 if history.withdrawn else 8  # "withdrawn" is the one longer status
    echo(f"{'Effective':<10}  {'Status':<{width}}  {'Consent':<7}  {'Kinds':<18}  {'Released':<10}  Summary")
    for rel in reversed(history.record()):
        status = _status(history, rel)
        mark = "yes" if rel.consent_relevant else "no"
        kinds = ",".join(release_classes(rel).flags) or "first"
        summary = f"(republished, text unchanged) {rel.summary}" if rel.republished else rel.summary
        if rel.translations:
            summary += f" [translations: {', '.join(rel.translations)}]"
        if rel.withdrawn is not None:
            summary += f" [withdrawn on {rel.withdrawn.on}: {rel.withdrawn.reason}]"
        if rel.reclassified is not None:
            summary += f" [editorial: {rel.reclassified.reason}]"
        if rel.notice_waived:
            summary += f" [notice waived: {rel.notice_waived}]"
        made = rel.published_on.isoformat()
        echo(f"{rel.date:<10}  {status:<{width}}  {mark:<7}  {kinds:<18}  {made:<10}  {summary}".rstrip())


def _status(history: History, rel: Release) -> str:
    if rel.withdrawn is not None:
        return "withdrawn"
    return "upcoming" if history.is_upcoming(rel) else "current" if rel is history.in_effect() else "archived"


def resolve_version(options: ProjectOptions, history: History, name: str) -> tuple[str, Policy]:
    """``YYYY-MM-DD`` (a release), ``current`` (the release in effect today) or ``draft`` (policy.yaml)."""
    if name == "draft":
        path = options.policy_file
        return "draft", load_policy(path, allow_html=options.allow_html, display=options.display(path))
    if name == "current":
        current = history.in_effect()
        if current is None:
            detail = (
                "nothing has been released"
                if history.newest is None
                else f"the first release takes effect on {history.releases[0].date}"
            )
            raise ReleaseError(f"there is no current version yet: {detail}")
        return current.date, current.policy
    rel = history.get(name)
    return rel.date, rel.policy


@click.command("diff")
@config_option
@click.argument("old")
@click.argument("new", default="draft")
@text_or_json_option
@document_option
@report_errors
def diff_cmd(config_file: Path, old: str, new: str, fmt: str, document: str | None) -> None:
    """Show what changed from OLD to NEW (release dates, `current` or `draft`; NEW defaults to `draft`)."""
    options = read_document(config_file, document)
    history = load_history(options)
    old_label, old_policy = resolve_version(options, history, old)
    new_label, new_policy = resolve_version(options, history, new)
    old_rel = history.get(old_label) if old_label != "draft" else None
    new_rel = history.get(new_label) if new_label != "draft" else None
    republished = new_rel is not None and new_rel.republished
    d = diff_policies(old_policy, new_policy, old_label=old_label, new_label=new_label, republished=republished)
    d = recorded_revisions(d, old_rel, new_rel)  # consent-relevant as the releases are: asked again or not
    reason = reclassified_reason(new_rel, old_label)
    if fmt == "json":
        classes = classify(d, old_policy, reason).to_json()
        data = {**diff_to_json(d), "classes": classes, "summary": ENGLISH.summary(d)}  # data, summary in English
        echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        text = io.StringIO()
        render_terminal(d, text, color=sys.stdout.isatty() and not os.environ.get("NO_COLOR"), reclassified=reason)
        echo(text.getvalue(), nl=False, colors=True)

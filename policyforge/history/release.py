"""``policyforge release``: freeze the draft as a new version, or withdraw one not yet in effect.

A withdrawn announcement stays in the record: its file and frozen translations stay hash-locked and
its lock entry gains ``withdrawn`` (the day and the reason), so the site keeps listing it as withdrawn.

A release records two days in ``versions.lock``: ``effective`` (when the version binds, also
its name) and ``published`` (the day it was made, shown as "Last Updated" and used by the
feeds). An effective date in the past needs ``backdate=True``: the site would then claim the
version was in effect on days when visitors were shown another one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypedDict

from ..errors import ReleaseError
from ..source.lint import PLACEHOLDER_RULE, lint_file
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from ..source.revision import consent_revision as revision_of
from .classes import classify, notice_rule, wording_only
from .dates import build_today
from .diff import KINDS, PolicyDiff, diff_policies
from .levels import LevelChange, level_changes
from .lock import LOCK_NAME, REPUBLICATION, VERSIONS_DIR, lock_text, sha256_file, write_atomic
from .releases import History, Reclassification, Release, Withdrawal, load_history, same_content
from .snapshots import freeze_files, remove_snapshots

__all__ = ["HANDOFF_SUFFIX", "Outcome", "When", "frozen_text", "release", "set_dates", "withdraw"]

HANDOFF_SUFFIX = ".handoff.md"
_TOP_KEY = r"^{key}:[^\n]*$"
# The editor's schema modeline: policy.yaml points at ./policy.schema.json; a frozen copy lives
# one folder down, in versions/, so a relative reference gains a "../".
_MODELINE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(?!\.\./|[a-z][a-z0-9+.-]*:|/)(?:\./)?", re.MULTILINE)


class When(TypedDict, total=False):
    """The keyword options of :func:`release` that say when and how (for callers passing them on)."""

    published: dt.date | None
    backdate: bool
    republish: bool
    editorial: str  # reclassify a consent change as editorial, with this reason (published)
    notice_waived: str  # release inside a notice period, with this reason (published)


@dataclass(frozen=True)
class Outcome:
    """What ``release`` made: the new release and the warnings the editor should read."""

    release: Release
    warnings: list[str] = field(default_factory=list)
    moved: list[LevelChange] = field(default_factory=list)  # sections whose level changed since the newest
    history: History = field(default_factory=History)  # the history with the new release, as loaded once


def set_dates(text: str, effective: dt.date, updated: dt.date | None = None) -> str:
    """The YAML text with its top-level ``effective:`` and ``updated:`` lines set.

    ``updated`` (the day the version was published) defaults to ``effective``.
    """
    for key, day in (("effective", effective), ("updated", updated or effective)):
        line = f"{key}: {day.isoformat()}"
        pattern = re.compile(_TOP_KEY.format(key=key), re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
            continue
        anchor = re.search(r"^(?:product|title|effective):[^\n]*\n", text, re.MULTILINE)
        at = anchor.end() if anchor else 0
        text = text[:at] + line + "\n" + text[at:]
    return text


def frozen_text(text: str) -> str:
    """The draft's text as stored in ``versions/``: its relative schema reference points one folder up."""
    return _MODELINE.sub(r"\g<1>../", text, count=1)


def _check_dates(effective: dt.date, published: dt.date, today: dt.date, backdate: bool) -> None:
    if published > today:
        raise ReleaseError(
            f"the publication date {published} is in the future (today is {today}); "
            "it records the day the version was made public"
        )
    if effective < today and not backdate:
        raise ReleaseError(
            f"effective date {effective} is in the past (today is {today}): the site would say this version "
            f"applied from {effective}, although until today visitors were shown the version then in effect, "
            "and consented to that one",
            hint=f"Choose an effective date on or after {today}. To record a version that really was in effect "
            "then (for example when importing an older policy), pass --backdate, and --published with the "
            "day it was made public.",
        )


def _double_ask(history: History, revision: str, effective: dt.date) -> list[str]:
    newest = history.newest
    if newest is None or newest.consent_revision == revision:
        return []
    pending = [r for r in history.upcoming() if r.consent_relevant]
    return [
        f"visitors will be asked for consent twice: on {r.date} (the upcoming release {r.date} changes the "
        f"consent categories) and again on {effective}. Unless both dates are intended, withdraw the "
        f"first with `policyforge release --withdraw {r.date}` and release its changes together with these."
        for r in pending
    ]


def release(
    options: ProjectOptions,
    effective: dt.date,
    summary: str,
    *,
    published: dt.date | None = None,
    backdate: bool = False,
    republish: bool = False,
    editorial: str = "",
    notice_waived: str = "",
    freeze: Callable[[Policy], Mapping[str, Path]] | None = None,
) -> Outcome:
    """Freeze ``policy.yaml`` as ``versions/DATE.yaml`` and record it in ``versions.lock``.

    ``published`` (default: today, see :func:`build_today`) is the day the version is made
    public. Raises :class:`SourceError` for an invalid draft, :class:`LockError` when the
    existing history does not verify, and :class:`ReleaseError` for an empty summary, a placeholder, lint
    errors, a date that is not after the newest release, an effective date in the past
    without ``backdate``, or a draft identical to the newest release.

    ``republish`` records a version whose text did not change (a republication, e.g. after a
    formatting fix or to restate the policy): the draft must read exactly as the newest release
    (same words, same link targets, same consent block), and every page, feed and listing says so.

    ``freeze`` is given the checked draft and names the files frozen with the version (language → file,
    copied to ``versions/DATE.LANG.yaml`` and hashed in the lock), or raises to refuse the release:
    :func:`policyforge.translation.snapshots.release` passes the project's translations this way.

    ``editorial`` (a reason, published) releases a consent change as editorial: visitors are not asked again,
    the release keeps the previous consent revision (recorded in the lock); refused unless the change is
    wording within the existing cookies and categories (:func:`~.classes.wording_only`). A release whose
    changes need notice (:func:`~.classes.notice_rule`: the ``notice_material`` and ``notice_subprocessor``
    options) and whose effective date is too close to its publication is refused, naming the rule and the
    earliest allowed date, unless ``notice_waived`` gives the reason (published). A backdated release (an
    imported history) needs no notice.
    """
    summary = " ".join(summary.split())
    if not summary:
        raise ReleaseError("the summary must not be empty: say in one sentence what this version changes")
    today = build_today()
    published = published or today
    draft_file = options.policy_file
    draft = load_policy(draft_file, allow_html=options.allow_html, display=options.display(draft_file))
    findings = lint_file(draft_file, draft, display=options.display(draft_file))
    todos = [f for f in findings if f.rule == PLACEHOLDER_RULE]
    if todos:
        raise ReleaseError(
            f"the draft still holds {len(todos)} placeholder(s) (TODO, or an example.com address); a released "
            "version can never be changed, so write them first:\n" + "\n".join(f"  {f}" for f in todos),
            hint="`policyforge check` lists every placeholder with its line",
        )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        listed = "\n".join(f"  {f}" for f in errors)
        raise ReleaseError(
            f"the draft has {len(errors)} lint error(s); a released version can never be changed, "
            f"so fix them first:\n{listed}",
            hint='every rule is explained on the "Lint rules" page (docs/lint-rules.md)',
        )
    to_freeze = freeze(draft) if freeze is not None else {}
    history = load_history(options, today)
    moved = level_changes(options, history)
    newest = history.newest
    if republish and newest is None:
        raise ReleaseError("there is nothing to republish yet: release the first version without --republish")
    if newest is not None:
        if effective <= newest.effective:
            later = (
                f"; to replace it before it takes effect, run `policyforge release --withdraw {newest.date}` first"
                if history.is_upcoming(newest)
                else ""
            )
            raise ReleaseError(
                f"effective date {effective} is not after the newest release {newest.date}; "
                f"a new version must take effect later than every released one{later}"
            )
        if republish:
            _check_republication(draft, newest, options.display(draft_file))
        elif same_content(draft, newest.policy):
            raise ReleaseError(
                f"{options.display(draft_file)} is identical to the newest release "
                f"{newest.date} ({newest.file}); edit the policy before releasing"
            )
    _check_withdrawn_date(history, effective)
    _check_dates(effective, published, today, backdate)
    editorial, notice_waived = " ".join(editorial.split()), " ".join(notice_waived.split())
    kept = _reclassified(draft, newest, editorial)
    if not backdate and newest is not None:
        _check_notice(options, newest, draft, kept, (today, effective), notice_waived)  # readers learn of it today
    text = set_dates(draft_file.read_text(encoding="utf-8"), effective, published)
    target = options.source / VERSIONS_DIR / f"{effective.isoformat()}.yaml"
    write_atomic(target, frozen_text(text))
    try:
        frozen = load_policy(target, allow_html=options.allow_html, display=options.display(target))
        if not same_content(frozen, draft) or frozen.effective != effective:
            raise ReleaseError(
                f"could not set the effective date in {options.display(draft_file)}: "
                "write `effective:` and `updated:` as top-level keys"
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    entries = history.lock_entries()
    digest = sha256_file(target)
    entries.append(
        {
            "effective": effective.isoformat(),
            "published": published.isoformat(),
            "file": f"{VERSIONS_DIR}/{target.name}",
            "sha256": digest,
            "summary": summary,
        }
    )
    new_entry = entries[-1]
    if republish:
        new_entry["kind"] = REPUBLICATION
    if kept is not None:
        new_entry["reclassified"] = kept.as_data()
    if notice_waived:
        new_entry["notice_waived"] = notice_waived
    frozen_langs: dict[str, str] = {}
    try:
        frozen_langs = freeze_files(options, effective.isoformat(), to_freeze)
        new_entry["translations"] = frozen_langs
        entries.sort(key=lambda e: str(e["effective"]))  # after a withdrawn announcement dated later
        write_atomic(options.source / LOCK_NAME, lock_text(entries))
    except BaseException:
        remove_snapshots(options, effective.isoformat(), frozen_langs)
        target.unlink(missing_ok=True)
        raise
    write_atomic(draft_file, text)
    rel = Release(
        effective,
        new_entry["file"],
        digest,
        summary,
        lambda: frozen,
        newest,
        published,
        republish,
        frozen_langs,
        options,
        reclassified=kept,
        notice_waived=notice_waived,
    )
    after = History((*history.releases, rel), history.today, _rebased(history.withdrawn, rel))
    return Outcome(rel, _double_ask(history, rel.consent_revision, effective), moved, after)


def _reclassified(draft: Policy, newest: Release | None, reason: str) -> Reclassification | None:
    """The reclassification of a consent change as editorial (``reason``: empty for none), checked."""
    if not reason:
        return None
    if newest is None or revision_of(draft) == newest.own_revision:
        raise ReleaseError(
            "--class editorial reclassifies a consent change, and this release changes nothing consent-relevant: "
            "it is editorial or material as it stands"
        )
    problem = wording_only(newest.policy, draft)
    if problem:
        raise ReleaseError(
            f"this consent change cannot be released as editorial: {problem} since {newest.date}. Only wording "
            "within the existing cookies and categories may be reclassified; visitors must be asked again.",
            hint="Release it without --class editorial.",
        )
    return Reclassification(reason, newest.consent_revision)


def _check_notice(
    options: ProjectOptions,
    newest: Release,
    draft: Policy,
    kept: Reclassification | None,
    days: tuple[dt.date, dt.date],
    waived: str,
) -> None:
    """Refuse an effective date too close to the publication for the notice its changes need, unless waived."""
    announced, effective = days
    d = diff_policies(newest.policy, draft, old_label=newest.date, new_label="draft")
    classes = classify(d, newest.policy, kept.reason if kept else "")
    rule = notice_rule(classes, d, announced, effective, options.notice_material, options.notice_subprocessor)
    if rule is None and waived:
        raise ReleaseError(
            f"--notice-waived: no notice period applies to this release (effective {effective}), so there is "
            "nothing to waive"
        )
    if rule is not None and not waived:
        raise ReleaseError(
            f"effective date {effective} is too close for a {rule.what}: the option {rule.option} asks for "
            f"{rule.days} days' notice from today ({announced}), when readers can first learn of it; the earliest "
            f"allowed date is {rule.earliest}",
            hint=f"Release it with --effective {rule.earliest} (or later), or pass --notice-waived REASON "
            "(recorded and published with the release).",
        )


def _check_withdrawn_date(history: History, effective: dt.date) -> None:
    """A withdrawn announcement keeps its date (its file and its change page): a new release takes another."""
    for rel in history.withdrawn:
        if rel.effective == effective and rel.withdrawn is not None:
            raise ReleaseError(
                f"the release {rel.date} was announced and withdrawn on {rel.withdrawn.on}; its file and its "
                "change page stay in the published record under that date",
                hint="Choose another effective date, e.g. the next day.",
            )


def _rebased(withdrawn: tuple[Release, ...], new: Release) -> tuple[Release, ...]:
    """The withdrawn announcements with ``previous`` set to the release in effect before each, ``new`` included
    (as :func:`load_history` would read them back)."""
    out = []
    for rel in withdrawn:
        previous = new if new.effective < rel.effective else rel.previous
        out.append(replace(rel, previous=previous) if previous is not rel.previous else rel)
    return tuple(out)


def _differences(d: PolicyDiff) -> str:
    """Where a draft differs from a release, by section id, link target and consent or document detail."""
    where = [f"{kind} {', '.join('#' + i for i in d.ids(kind))}" for kind in KINDS if d.ids(kind)]
    where += [f"link target {link.old} → {link.new}" for link in d.links]
    where += [f"{item.kind} {item.subject} {item.name}" for item in (*d.document, *d.consent)]
    return "; ".join(where)


def _check_republication(draft: Policy, newest: Release, shown: str) -> None:
    """A republication must read exactly as the newest release: same words, links, consent and details."""
    d = diff_policies(newest.policy, draft, old_label=newest.date, new_label="draft")
    if not d.is_empty:
        raise ReleaseError(
            f"{shown} does not read as the newest release {newest.date}: {_differences(d)}. "
            "A republication records a version whose text did not change.",
            hint=f"Release it without --republish, or see the changes with `policyforge diff {newest.date} draft`.",
        )


def withdraw(options: ProjectOptions, date: dt.date, reason: str) -> Release:
    """Withdraw the announced release of ``date`` if it is not in effect yet, with ``reason`` (published).

    Its version file and frozen translations stay, hash-locked, and its lock entry records the day and
    the reason: the site keeps it listed as withdrawn. Only its hand-off note goes (the product team has
    nothing to do for it). ``policy.yaml`` is left as it is: it holds the withdrawn text (or the editor's
    later edits), ready to be corrected and released again under another date. Raises
    :class:`ReleaseError` for an empty reason, an unknown date, a release already withdrawn, or a release
    that is or was in effect.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise ReleaseError("the reason must not be empty: say in one sentence why the announcement is withdrawn")
    today = build_today()
    history = load_history(options, today)
    rel = history.get(date)
    if not history.is_upcoming(rel):
        current = history.in_effect()
        state = "is in effect" if rel is current else "was in effect until " + _next_date(history, rel)
        raise ReleaseError(
            f"the release {rel.date} {state} (today is {today}); a version visitors may have relied on is part "
            "of the published record and cannot be withdrawn",
            hint="Correct it with a new release: edit policy.yaml, then run "
            '`policyforge release --effective YYYY-MM-DD --summary "..."`.',
        )
    gone = replace(rel, withdrawn=Withdrawal(today, reason))
    entries = [gone.lock_entry() if r is rel else r.lock_entry() for r in history.record()]
    write_atomic(options.source / LOCK_NAME, lock_text(entries))
    (options.source / rel.file).with_name(rel.date + HANDOFF_SUFFIX).unlink(missing_ok=True)
    return gone


def _next_date(history: History, rel: Release) -> str:
    after = history.neighbours(rel)[1]
    return after.date if after is not None else "now"

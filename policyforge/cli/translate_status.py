"""The terminal text of ``policyforge translate status``: each language's stale and missing parts.

Each stale part shows the original's word diff since the text that was translated; text from the YAML
is made terminal-safe before it is painted.
"""

from __future__ import annotations

from ..terminal import terminal_safe
from ..translation.drift import Drift, LanguageStatus
from .diff_text import ENGLISH, Paint, redline

__all__ = ["language_lines"]


def _drift_lines(drift: Drift, paint: Paint, color: bool) -> list[str]:
    """The lines of one stale or missing part; text from the YAML is made terminal-safe before painting."""
    state = drift.state
    lines = [terminal_safe(f"  {drift.where}: {state.status}: {drift.title}")]
    if state.status == "missing" and state.line and state.translated_from is None:
        lines.append(
            f"    not marked, so the original's text is shown: once it is translated, run "
            f"`policyforge translate mark {drift.lang} {_ident(drift)}`"
        )
        return lines
    if state.status == "missing":
        lines.append(
            "    not translated: the original's text is shown"
            if not state.line
            else "    its entry does not fit the original's structure: the original's text is shown"
        )
        return lines
    if drift.since is None:
        lines.append(
            f"    translated from a text ({state.translated_from}) that no release and not the draft has; "
            "compare it with the original by hand, then mark it"
        )
        return lines
    source = "the draft" if drift.since == "draft" else f"the release {drift.since}"
    when = (
        f"the original changed on {drift.changed_on.isoformat()}"
        if drift.changed_on is not None
        else "the original changed in the draft (not released yet)"
    )
    lines.append(f"    translated from the text of {source}; {when}. What changed since:")
    for change in drift.changes:
        if change.name:
            lines.append(f"    {ENGLISH.section_label(change.name, '', '')}:")
        lines += [terminal_safe(f"    {ENGLISH.field_change(*field)}") for field in change.fields]
        lines += [terminal_safe(f"    {ENGLISH.link(link)}") for link in change.links]
        if any(op.kind != "equal" for op in change.ops):
            lines += ["  " + line for line in redline(change.ops, paint, color)]
    return lines


def _ident(drift: Drift) -> str:
    kind = drift.state.kind
    return (
        "document" if kind == "document" else f"category:{drift.state.key}" if kind == "category" else drift.state.key
    )


def language_lines(status: LanguageStatus, paint: Paint, color: bool) -> list[str]:
    """What `translate status` prints for one language: its counts, its file's errors, each stale or missing part."""
    if not status.exists:
        return [
            paint(
                "bold",
                terminal_safe(
                    f"{status.lang}: {status.file} does not exist: every part is shown in "
                    f"the original (start it with `policyforge translate init "
                    f"{status.lang}`)"
                ),
            )
        ]
    counts = status.counts
    head = (
        f"{status.lang}: {counts['stale']} stale, {counts['missing']} missing, {counts['current']} current "
        f"({status.file})"
    )
    lines = [paint("bold", terminal_safe(head))]
    lines += [terminal_safe(f"  {problem}") for problem in status.errors]
    for drift in (*status.of("stale"), *status.of("missing")):
        lines += _drift_lines(drift, paint, color)
    return lines

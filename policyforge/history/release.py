"""``policyforge release``: freeze the draft as a new version and record it in the lock."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ReleaseError
from ..source.lint import lint_file
from ..source.loader import load_policy
from ..source.options import ProjectOptions
from ..source.revision import consent_revision
from .lock import LOCK_NAME, VERSIONS_DIR, lock_text, sha256_file, write_atomic
from .releases import Release, load_history, same_content

__all__ = ["release", "set_dates"]

_TOP_KEY = r"^{key}:[^\n]*$"


def set_dates(text: str, effective: dt.date) -> str:
    """The YAML text with its top-level ``effective:`` and ``updated:`` lines set to ``effective``."""
    for key in ("effective", "updated"):
        line = f"{key}: {effective.isoformat()}"
        pattern = re.compile(_TOP_KEY.format(key=key), re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
            continue
        anchor = re.search(r"^(?:product|title):[^\n]*\n", text, re.MULTILINE)
        at = anchor.end() if anchor else 0
        text = text[:at] + line + "\n" + text[at:]
    return text


def release(options: ProjectOptions, effective: dt.date, summary: str) -> Release:
    """Freeze ``policy.yaml`` as ``versions/DATE.yaml`` and record it in ``versions.lock``.

    Raises :class:`SourceError` for an invalid draft, :class:`LockError` when the existing
    history does not verify, and :class:`ReleaseError` for a date that is not after the
    newest release, a draft identical to it, or an empty summary.
    """
    summary = " ".join(summary.split())
    if not summary:
        raise ReleaseError("the summary must not be empty: say in one sentence what this version changes")
    draft_file = options.policy_file
    draft = load_policy(draft_file, allow_html=options.allow_html, display=options.display(draft_file))
    errors = [f for f in lint_file(draft_file, draft, display=options.display(draft_file)) if f.severity == "error"]
    if errors:
        listed = "\n".join(f"  {f}" for f in errors)
        raise ReleaseError(f"the draft has {len(errors)} lint error(s); a released version can never be changed, "
                           f"so fix them first:\n{listed}",
                           hint="every rule is explained on the \"Lint rules\" page (docs/lint-rules.md)")
    history = load_history(options)
    newest = history.newest
    if newest is not None:
        if effective <= newest.effective:
            raise ReleaseError(f"effective date {effective} is not after the newest release {newest.date}; "
                               "a new version must take effect later than every released one")
        if same_content(draft, newest.policy):
            raise ReleaseError(f"{options.display(draft_file)} is identical to the newest release "
                               f"{newest.date} ({newest.file}); edit the policy before releasing")
    text = set_dates(draft_file.read_text(encoding="utf-8"), effective)
    target = options.source / VERSIONS_DIR / f"{effective.isoformat()}.yaml"
    write_atomic(target, text)
    try:
        frozen = load_policy(target, allow_html=options.allow_html, display=options.display(target))
        if not same_content(frozen, draft) or frozen.effective != effective:
            raise ReleaseError(f"could not set the effective date in {options.display(draft_file)}: "
                               "write `effective:` and `updated:` as top-level keys")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    entries = [{"effective": r.date, "file": r.file, "sha256": r.sha256, "summary": r.summary}
               for r in history]
    digest = sha256_file(target)
    entries.append({"effective": effective.isoformat(), "file": f"{VERSIONS_DIR}/{target.name}",
                    "sha256": digest, "summary": summary})
    write_atomic(options.source / LOCK_NAME, lock_text(entries))
    write_atomic(draft_file, text)
    revision = consent_revision(frozen)
    relevant = newest is not None and newest.consent_revision != revision
    return Release(effective, entries[-1]["file"], digest, summary, frozen, revision, relevant)

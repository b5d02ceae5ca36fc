"""``import --history``: every version of a document becomes a release, in date order, in one go.

Every version is imported and validated before anything is written. Then each one is released
with the ordinary release machinery (:func:`policyforge.history.release.release`), backdated
to its own date; a version whose text reads the same as the one before (only its formatting
differs) becomes a republication. A section renamed since the version before keeps its id. If a
release fails, the project is put back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from ..errors import DocumentError, PolicyError
from ..history.dates import build_today
from ..history.diff import diff_policies
from ..history.lock import LOCK_NAME, VERSIONS_DIR, read_lock, write_atomic
from ..history.release import HANDOFF_SUFFIX, release
from ..history.releases import Release
from ..source.model import Policy, Section
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions
from ..source.reader_text import section_blocks
from .document import Imported, import_text
from .policy_yaml import GIVEN_BY, Details, placeholder, validated
from .sources import Version

__all__ = [
    "RENAMED_SIMILARITY",
    "ImportedVersion",
    "Progress",
    "import_history",
    "keep_renamed_ids",
    "prepare_versions",
]

Progress = Callable[[int, int, str], None]
RENAMED_SIMILARITY = 0.6  # a new section this alike to one gone since the previous version is that one, renamed


@dataclass(frozen=True)
class ImportedVersion:
    """One version: where it came from, what import made of it, and (once released) its release."""

    version: Version
    imported: Imported
    republication: bool
    release: Release | None = None


def prepare_versions(
    versions: list[Version], details: Details, *, allow_html: bool = False, progress: Progress | None = None
) -> list[ImportedVersion]:
    """Import every version (nothing is written); a :class:`DocumentError` names the version that fails."""
    out: list[ImportedVersion] = []
    for n, version in enumerate(versions, start=1):
        if progress is not None:
            progress(n, len(versions), f"reading {version.name}")
        each = Details(
            details.title,
            details.product,
            details.controller_name,
            details.controller_email,
            details.consent,
            details.todo if n == len(versions) else [],
            details.link_base,
        )
        try:
            imported = import_text(version.data, version.kind, each, allow_html=allow_html, name=version.name)
        except PolicyError as exc:
            raise DocumentError(f"{version.name}: {exc}", hint=exc.hint) from None
        if out:
            imported = keep_renamed_ids(out[-1].imported.policy, imported, allow_html=allow_html, name=version.name)
        same = bool(out) and diff_policies(out[-1].imported.policy, imported.policy).is_empty
        out.append(ImportedVersion(version, imported, same))
    return out


def _words(section: Section) -> list[str]:
    return [w.text for w in section_blocks(section)]


def keep_renamed_ids(
    previous: Policy, imported: Imported, *, allow_html: bool = False, name: str = "policy.yaml"
) -> Imported:
    """A section renamed since the previous version keeps its id, so links to it keep working.

    A section whose id is new is the renamed one when a section of the previous version, under
    the same parent and gone from this version, has a body at least 60% alike (by words).
    """
    before = {ns.section.id: (ns.parent_id, ns.section) for ns in numbered_sections(previous.sections)}
    now = [(ns.parent_id, ns.section) for ns in numbered_sections(imported.policy.sections)]
    gone = {sid: entry for sid, entry in before.items() if sid not in {s.id for _, s in now}}
    renames: dict[str, str] = {}
    for parent, section in now:
        words = _words(section)
        if section.id in before or not gone or len(words) < 5:
            continue
        parent = renames.get(parent, parent) if parent else parent
        scored = [
            (SequenceMatcher(None, words, _words(old), autojunk=False).ratio(), old_id)
            for old_id, (old_parent, old) in gone.items()
            if old_parent == parent
        ]
        ratio, old_id = max(scored, default=(0.0, ""))
        if ratio >= RENAMED_SIMILARITY:
            renames[section.id] = old_id
            del gone[old_id]
    if not renames:
        return imported
    text = imported.yaml
    for new_id, old_id in renames.items():
        text = re.sub(rf"^(\s*(?:- )?id: ){re.escape(new_id)}$", rf"\g<1>{old_id}", text, count=1, flags=re.MULTILINE)
    policy = validated(text, allow_html=allow_html, name=name)
    return Imported(text, policy, imported.notes, imported.todo, imported.unit)


def _restore(path: Path, before: bytes | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


def import_history(
    options: ProjectOptions, versions: list[ImportedVersion], *, progress: Progress | None = None
) -> list[ImportedVersion]:
    """Release every prepared version, oldest first; the project is left unchanged if one fails.

    Raises :class:`DocumentError` when the project already has releases: an imported history
    is the beginning of a project's history; and when the documents do not give the product's or the
    controller's name (:data:`~.policy_yaml.GIVEN_BY`), which the options must then give.
    """
    newest = versions[-1].imported.policy if versions else None
    given = {"--product": newest and newest.product, "--controller-name": newest and newest.controller.name}
    missing = [option for option, value in given.items() if value == placeholder(option)]
    if missing:
        raise DocumentError(
            f"the documents do not say {' or '.join(GIVEN_BY[o] for o in missing)}, and a release cannot "
            "hold a placeholder",
            hint=f"pass {' and '.join(missing)}",
        )
    existing = read_lock(options)
    if existing:
        raise DocumentError(
            f"{options.display(options.source / LOCK_NAME)} already lists {len(existing)} "
            "release(s): an imported history must be the first one",
            hint="import into a new project, or remove versions/ and versions.lock first (they "
            "are in version control if you need them back)",
        )
    today = build_today()
    saved = {
        path: (path.read_bytes() if path.is_file() else None)
        for path in (options.policy_file, options.source / LOCK_NAME)
    }
    made: list[Path] = []
    versions_dir = options.source / VERSIONS_DIR
    had_versions_dir = versions_dir.exists()
    done: list[ImportedVersion] = []
    try:
        for n, item in enumerate(versions, start=1):
            day = item.version.date
            if progress is not None:
                progress(n, len(versions), f"releasing {day}")
            write_atomic(options.policy_file, item.imported.yaml)
            made.append(options.source / VERSIONS_DIR / f"{day.isoformat()}.yaml")
            summary = item.version.summary
            if item.republication:
                summary = f"Republished, no change in text: {summary}"
            outcome = release(
                options, day, summary, published=min(day, today), backdate=True, republish=item.republication
            )
            done.append(ImportedVersion(item.version, item.imported, item.republication, outcome.release))
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
            path.with_name(path.stem + HANDOFF_SUFFIX).unlink(missing_ok=True)
        for path, before in saved.items():
            _restore(path, before)
        if not had_versions_dir and versions_dir.is_dir() and not any(versions_dir.iterdir()):
            versions_dir.rmdir()
        raise
    return done

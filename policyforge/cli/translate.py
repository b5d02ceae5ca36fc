"""``policyforge translate``: what is stale or missing in each translation, marking finished entries,
starting a translation file, and freezing a translation finished after its release.

A translated entry records the fingerprint of the original text it was translated from
(``translated_from``, written by ``translate mark``); ``translate status`` compares it with the draft
and shows, for each stale entry, the original's word diff since that text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import ReleaseError, SourceError
from ..history.lock import write_atomic
from ..history.releases import History, load_history
from ..source.documents import document_options, project_documents
from ..source.editor_schema import TRANSLATION_SCHEMA_FILE
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.numbering import numbered_sections
from ..source.options import LANGUAGE_TAG, ProjectOptions, read_project
from ..terminal import json_safe, terminal_safe
from ..translation.drift import (
    made_stale,
    status_to_json,
    translation_status,
)
from ..translation.edits import MarkError, mark_translation, skeleton_text
from ..translation.read import Translation, read_translation, translation_path
from ..translation.snapshots import add_snapshot
from .common import (
    config_option,
    date_value,
    document_option,
    echo,
    plural,
    read_document,
    report_errors,
    text_or_json_option,
)
from .diff_text import painter, use_color
from .translate_status import language_lines

__all__ = ["made_stale_lines", "translate"]


def _lang(ctx: click.Context, param: click.Parameter, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
    for lang in (value,) if isinstance(value, str) else value:
        if not re.match(LANGUAGE_TAG, lang):
            raise click.BadParameter(f"{lang!r} is not a language tag such as de, pt-BR or zh-Hant")
    return value


def _draft(options: ProjectOptions) -> Policy:
    path = options.policy_file
    return load_policy(path, allow_html=options.allow_html, display=options.display(path))


@click.group("translate")
def translate() -> None:
    """Translations: what is stale or missing, marking translated entries, new translation files."""


# --- status --------------------------------------------------------------------------------------


@translate.command("status")
@config_option
@click.argument("langs", nargs=-1, metavar="[LANG]...", callback=_lang)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a part is stale or missing or a translation file has errors (for CI)."
)
@text_or_json_option
@document_option
@report_errors
def status_cmd(config_file: Path, langs: tuple[str, ...], strict: bool, fmt: str, document: str | None) -> None:
    """List each translation's stale and missing parts, with the original's word diff since the translation.

    Without LANG, every language of the `translations` option; without --document, every document.
    """
    project = read_project(config_file, draft=True)
    documents = project_documents(project) if document is None else (document_options(project, document),)
    unknown = [lang for lang in langs if lang not in project.translations]
    if unknown:
        configured = ", ".join(project.translations) or "none"
        raise click.BadParameter(
            f"{unknown[0]!r} is not one of the project's translations (configured: {configured})", param_hint="LANG"
        )
    if not project.translations and fmt == "json":
        echo(json.dumps({"documents": [], "behind": 0}))
        return
    if not project.translations:
        echo(
            "No translations are configured: list the languages under `translations:` in the policyforge "
            "plugin options (docs/translations.md)."
        )
        return
    color = use_color(sys.stdout) and fmt == "text"
    paint = painter(color)
    lines: list[str] = []
    data: list[dict[str, Any]] = []
    behind = 0
    for options in documents:
        draft = _draft(options)
        statuses = translation_status(options, load_history(options), draft, langs or None)
        data.append(
            {
                "document": options.document or None,
                "policy": options.display(options.policy_file),
                "languages": [status_to_json(st) for st in statuses],
            }
        )
        if len(documents) > 1:
            heading = terminal_safe(f"{options.display(options.policy_file)}:")
            lines += [*([""] if lines else []), paint("bold", heading)]
        for status in statuses:
            lines += language_lines(status, paint, color)
            behind += len(status.parts) + len(status.errors) + (0 if status.exists else 1)
    lines.append(
        "All translations are current."
        if not behind
        else f"{plural(behind, 'part')} to translate or mark (`policyforge translate mark LANG ID` once done)."
    )
    if fmt == "json":
        echo(json_safe(json.dumps({"documents": data, "behind": behind}, indent=2, ensure_ascii=False)))
    else:
        echo("\n".join(lines), colors=color)
    if strict and behind:
        sys.exit(1)


# --- mark ------------------------------------------------------------------------------------


@translate.command("mark")
@config_option
@click.argument("lang", callback=_lang)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option(
    "--all",
    "every_entry",
    is_flag=True,
    help="Mark every entry, stale ones too (after updating them all); without IDs or --all, only "
    "entries not marked yet are.",
)
@document_option
@report_errors
def mark_cmd(config_file: Path, lang: str, ids: tuple[str, ...], every_entry: bool, document: str | None) -> None:
    """Record that entries of LANG's translation are translated from the current policy.yaml.

    Writes each entry's `translated_from` (the fingerprint of the original's text) in place, keeping
    comments and formatting. IDs are section ids, `category:ID`, `document`, or `activity:ID`,
    `recipient:ID` and `controller` for the facts' prose; none: every entry not
    marked yet (a stale entry is marked again only when named, or with --all, and is listed otherwise).
    An entry with problems is left unmarked, and the command exits 1 listing every problem of the file.
    Run it when a translator has finished an entry, never to silence a stale one.
    """
    options = read_document(config_file, document)
    draft = _draft(options)
    path = translation_path(options.source, lang)
    shown = options.display(path)
    if not path.is_file():
        raise MarkError(
            f"{shown} does not exist: there is nothing to mark",
            hint=f"Start the translation with `policyforge translate init {lang}`.",
        )
    translation, errors, _ = read_translation(path, draft, lang=lang, display=shown, allow_html=options.allow_html)
    if translation is None:
        raise SourceError(errors, source=shown)
    text = path.read_text(encoding="utf-8")
    result = mark_translation(
        text,
        translation,
        draft,
        ids,
        problems=errors,
        policy_file=options.display(options.policy_file),
        every_entry=every_entry,
    )
    if result.marked:
        write_atomic(path, result.text)
    for item in result.marked:
        was = f" (was {item.was})" if item.was else ""
        echo(f"{shown}:{item.line}: {item.title}: translated_from {item.fingerprint}{was}")
    for problem in errors:
        echo(str(problem), err=True)
    for title in result.skipped:
        echo(f"warning: {title} is not marked: its entry has problems (above)", err=True)
    for title in result.left_stale:
        echo(
            f"{title}: still stale, not marked again: once its translation is updated, name it "
            f"(`policyforge translate mark {lang} ID`) or use --all"
        )
    already = result.already
    tail = f"; {already} already {'was' if already == 1 else 'were'}" if already else ""
    if result.marked:
        echo(
            f"Marked {plural(len(result.marked), 'entry', 'entries')} of {shown} as translated from the current "
            f"{options.display(options.policy_file)}{tail}."
        )
    elif not result.skipped:
        echo(
            f"Nothing to mark: the chosen entries of {shown} are already marked as translated from the current "
            f"{options.display(options.policy_file)}."
        )
    if errors:
        echo(f"ERROR: {plural(len(errors), 'problem')} in {shown}; entries with problems are not marked.", err=True)
        sys.exit(1)


# --- init ------------------------------------------------------------------------------------


@translate.command("init")
@config_option
@click.argument("lang", callback=_lang)
@document_option
@report_errors
def init_cmd(config_file: Path, lang: str, document: str | None) -> None:
    """Write translations/LANG.yaml with every id and the original's texts, ready to be translated."""
    options = read_document(config_file, document)
    if lang == options.language:
        raise click.BadParameter(f"{lang!r} is the original's language (the `language` option)", param_hint="LANG")
    draft = _draft(options)
    path = translation_path(options.source, lang)
    shown = options.display(path)
    if path.exists():
        raise MarkError(
            f"{shown} already exists; translate init never overwrites a translation",
            hint=f"`policyforge translate status {lang}` lists what it lacks.",
        )
    main_source = document_options(read_project(config_file), None).source  # `policyforge schema` writes there
    schema = Path(os.path.relpath(main_source / TRANSLATION_SCHEMA_FILE, path.parent)).as_posix()
    write_atomic(path, skeleton_text(draft, lang, schema=schema))
    _, errors, _ = read_translation(path, draft, lang=lang, display=shown, allow_html=options.allow_html)
    if errors:  # the skeleton is the original's texts: it always reads; a failure is a bug, not the user's
        path.unlink()
        raise SourceError(errors, source=shown)
    sections = sum(1 for _ in numbered_sections(draft.sections))
    categories = plural(len(draft.categories), "consent category", "consent categories")
    echo(
        f"Wrote {shown} with the original's texts of {plural(sections, 'section')} and {categories}, "
        f"to be replaced by their {lang} translation."
    )
    echo(
        f"When an entry is translated, run `policyforge translate mark {lang} ID`; "
        f"`policyforge translate status {lang}` lists what is left."
    )
    if lang not in options.translations:
        echo(f"It is not published yet: add {lang} to `translations:` in the policyforge plugin options.")


# --- freeze ----------------------------------------------------------------------------------


def _release_of(history: History, day: dt.date | None) -> int:
    if day is not None:
        return history.releases.index(history.get(day))
    if history.newest is None:
        raise ReleaseError(
            "nothing has been released yet: a translation is frozen with the release of the original",
            hint="Release the policy with `policyforge release`; it freezes its translations too.",
        )
    return len(history) - 1


@translate.command("freeze")
@config_option
@click.argument("lang", callback=_lang)
@click.option(
    "--release",
    "day",
    callback=date_value,
    metavar="YYYY-MM-DD",
    help="The release to freeze it with (default: the newest).",
)
@document_option
@report_errors
def freeze_cmd(config_file: Path, lang: str, day: dt.date | None, document: str | None) -> None:
    """Freeze LANG's translation with a release made before it was finished, for that release's archive page.

    A release without a LANG translation gains one; an upcoming release's is replaced; a published
    translation of a release in effect is never rewritten.
    """
    options = read_document(config_file, document)
    history = load_history(options)
    index = _release_of(history, day)
    rel = history.releases[index]
    path = translation_path(options.source, lang)
    shown = options.display(path)
    if path.is_file():
        _, errors, _ = read_translation(path, rel.policy, lang=lang, display=shown, allow_html=options.allow_html)
        if errors:
            raise SourceError(errors, source=f"{shown} (read against the release {rel.date})")
    entries = history.lock_entries()  # withdrawn announcements included: they stay in the lock
    at = [e["effective"] for e in entries].index(rel.date)
    done = add_snapshot(options, entries, at, lang, upcoming=history.is_upcoming(rel))
    frozen = options.display(options.source / done.file)
    if done.action == "unchanged":
        echo(f"{frozen} already holds {shown} as it is: nothing to do.")
        return
    verb = "Froze" if done.action == "added" else "Replaced the upcoming release's translation with"
    echo(
        f"{verb} {shown} as {frozen} (sha256 {done.sha256}) with the release {rel.date}, and recorded it in "
        "versions.lock. Commit both, then build: the archive page of that release shows it."
    )


# --- check and release ---------------------------------------------------------------------------


def made_stale_lines(
    options: ProjectOptions, before: Policy | None, after: Policy, translations: dict[str, Translation]
) -> list[str]:
    """What `release` says about the translations it made stale: a line per language and part."""
    found = made_stale(before, after, translations)
    if not found:
        return []
    lines = ["Translations this release made stale (the original changed since they were translated):"]
    for lang, what, drift in found:
        if what == "stale":
            lines.append(f"  {lang}: {drift.title}, {drift.where}")
        else:
            lines.append(f"  {lang}: {drift.title} is new and has no translation yet ({drift.state.file})")
    langs = " ".join(dict.fromkeys(lang for lang, _, _ in found))
    lines.append(f"Translators: `policyforge translate status {langs}` shows what changed in each.")
    return lines

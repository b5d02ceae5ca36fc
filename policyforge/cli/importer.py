"""``policyforge import``: an existing policy, or its whole history, into policy YAML and releases.

It prints every construct it could not carry over as written (``file:line: what``) and what the
editor must still fill in. Long history imports show progress on a terminal and stay quiet when
piped or when ``CI`` is set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

import click

from ..errors import DocumentError
from ..importer.document import Imported, import_document
from ..importer.history_import import import_history, prepare_versions
from ..importer.policy_yaml import Details
from ..importer.sources import versions_of
from ..source.documents import document_options
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions, read_project
from ..terminal import terminal_safe
from .common import config_option, echo, report_errors

__all__ = ["import_cmd"]


class _Progress:
    """One self-overwriting status line on a terminal's stderr; nothing when piped or under CI."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty() and not os.environ.get("CI")
        self.width = 0

    def __call__(self, n: int, total: int, what: str) -> None:
        if not self.live:
            return
        line = terminal_safe(f"[{n}/{total}] {what}")[:78]
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def done(self) -> None:
        if self.live and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _report(name: str, imported: Imported, on_stdout: bool = True) -> int:
    """Print the notes of one document; returns how many there were."""
    for line in imported.located_notes(name):
        echo(line, err=not on_stdout)
    return len(imported.notes)


def _todo(items: tuple[str, ...], err: bool) -> None:
    if items:
        echo("Still to fill in or check in policy.yaml:", err=err)
        for item in items:
            echo(f"  - {item}", err=err)


def _target(options: ProjectOptions, force: bool) -> None:
    if options.policy_file.is_file() and not force:
        raise DocumentError(
            f"{options.display(options.policy_file)} exists; importing replaces it",
            hint="pass --force to replace it (it is in version control if you need it back), or "
            "--out FILE to write the policy elsewhere",
        )


@click.command("import")
@config_option
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--history",
    is_flag=True,
    help="SOURCE is a folder of dated files (2021-03-01.md, .html, .docx) or a file in a git repository: "
    "release every version, oldest first.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the policy YAML to this file (- for standard output) instead of the project's policy.yaml.",
)
@click.option("--force", is_flag=True, help="Replace an existing policy.yaml.")
@click.option("--title", help="Document title (default: the document's first heading).")
@click.option("--product", help="The product or service the policy covers (default: from the title).")
@click.option("--controller-name", help="Legal name of the data controller.")
@click.option(
    "--controller-email", help="Contact e-mail address for privacy requests (default: the first in the text)."
)
@click.option(
    "--link-base",
    metavar="URL",
    help="The address the document's site-relative links (/docs/...) belong to, e.g. https://www.example.com.",
)
@report_errors
def import_cmd(
    config_file: Path,
    source: Path,
    history: bool,
    out: Path | None,
    force: bool,
    title: str | None,
    product: str | None,
    controller_name: str | None,
    controller_email: str | None,
    link_base: str | None,
) -> None:
    """Turn an existing policy (Markdown, HTML or DOCX), or its whole history, into policy YAML."""
    details = Details(title, product, controller_name, controller_email, link_base=link_base)
    if history:
        if out is not None:
            raise click.UsageError("--history writes releases into the project; --out is for a single document")
        _import_history(document_options(read_project(config_file), None), source, details, force)
        return
    if source.is_dir():
        raise click.UsageError(f"{source} is a folder: pass a document, or --history for a folder of versions")
    options = document_options(read_project(config_file), None) if out is None else None
    if options is not None:
        _target(options, force)
    imported = import_document(source, details, allow_html=options.allow_html if options else False)
    to_stdout = out is not None and str(out) == "-"
    count = _report(str(source), imported, on_stdout=not to_stdout)
    target = out if options is None else options.policy_file
    assert target is not None
    if to_stdout:
        echo(imported.yaml, nl=False)
    else:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(imported.yaml, encoding="utf-8", newline="")
        except OSError as exc:
            raise DocumentError(f"cannot write {target}: {exc.strerror or exc}") from None
    sections = sum(1 for _ in numbered_sections(imported.policy.sections))
    shown = "standard output" if to_stdout else options.display(target) if options else str(target)
    echo(
        f"Imported {source} into {shown}: {sections} section(s); {count} construct(s) not carried over as "
        "written (listed above with their source lines).",
        err=to_stdout,
    )
    _todo(imported.todo, to_stdout)
    if not to_stdout:
        echo("Check it with: policyforge check; then release it with: policyforge release", err=to_stdout)


def _import_history(options: ProjectOptions, source: Path, details: Details, force: bool) -> None:
    _target(options, force)
    progress = _Progress(sys.stderr)
    try:
        prepared = prepare_versions(versions_of(source), details, allow_html=options.allow_html, progress=progress)
        done = import_history(options, prepared, progress=progress)
    finally:
        progress.done()
    notes = 0
    for item in done:
        notes += _report(item.version.name, item.imported)
    for item in done:
        assert item.release is not None
        kind = "republication (only the formatting changed)" if item.republication else "release"
        echo(f"{item.release.date}  {kind}: {item.release.summary}")
    republished = sum(1 for item in done if item.republication)
    echo(
        f"Imported {len(done)} version(s) from {source} as releases {done[0].version.date} to "
        f"{done[-1].version.date} ({republished} republication(s)); {notes} construct(s) not carried over "
        "as written (listed above with their versions and source lines)."
    )
    echo(f"{options.display(options.policy_file)} holds the newest version.")
    _todo(done[-1].imported.todo, False)
    echo(f"Commit {options.display(options.source)}/ (policy.yaml, versions/, versions.lock), then build.")

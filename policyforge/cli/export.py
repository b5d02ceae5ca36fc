"""``policyforge export``: the facts of a version as a record of processing (CSV, JSON) or a fideslang manifest."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from ..errors import BuildError
from ..history.lock import write_atomic
from ..history.releases import load_history
from ..source.fides_manifest import fides_manifest
from ..source.ropa import ropa_csv, ropa_json
from .common import config_option, document_option, echo, read_document, report_errors
from .versions import resolve_version

__all__ = ["export_cmd"]


@click.command("export")
@config_option
@document_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ropa", "fides"]),
    required=True,
    help="`ropa`: the record of processing (GDPR Art. 30(1)) as ropa.csv and ropa.json; "
    "`fides`: a fideslang system manifest, fides.yml.",
)
@click.option(
    "--version",
    "version",
    default="current",
    show_default=True,
    metavar="DATE|current|draft",
    help="The release of that date, the one in effect (`current`) or policy.yaml (`draft`).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder to write the files into.",
)
@report_errors
def export_cmd(config_file: Path, document: str | None, fmt: str, version: str, out: Path) -> None:
    """Write the processing activities of a version as a record of processing or a fideslang manifest."""
    options = read_document(config_file, document)
    name, policy = resolve_version(options, load_history(options), version)
    if not policy.processing:
        raise BuildError(
            f"the {name} version of {options.display(options.policy_file)} declares no processing activities",
            hint="Facts are stated under `processing` (docs/editing.md); a release made before they were added "
            "has none: export --version draft, or release the facts first.",
        )
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "ropa":
        files = {"ropa.csv": ropa_csv(policy), "ropa.json": ropa_json(policy, name)}
    else:
        text = yaml.safe_dump(fides_manifest(policy), sort_keys=False, allow_unicode=True, width=100)
        files = {"fides.yml": text}
    for file, text in files.items():
        write_atomic(out / file, text)
    written = ", ".join(str(out / f) for f in files)
    echo(f"Wrote {written}: {len(policy.processing)} activities of the {name} version.")

"""``policyforge receipts``: run the proof-of-consent service and read what it stored.

The commands import the receipts package (SQLAlchemy, Starlette, uvicorn) only when they run, so
the rest of the CLI works without the ``receipts`` extra; each of them first checks that the extra
is there (:func:`needs_extra`) and otherwise says how to install it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import PolicyError
from ..site.urls import text_path
from ..source.documents import document_options
from ..source.options import ProjectOptions, read_project
from ..terminal import json_safe
from .common import config_option, echo, report_errors

if TYPE_CHECKING:
    from ..receipts.ledger import Ledger
    from ..receipts.store import Store, StoredReceipt

__all__ = ["needs_extra", "receipts"]

F = TypeVar("F", bound=Callable[..., Any])

DB_ENV = "POLICYFORGE_RECEIPTS_DB"
DEFAULT_DB = "receipts.sqlite3"

db_option = click.option(
    "--db",
    envvar=DB_ENV,
    default=None,
    metavar="PATH|URL",
    help=f"The receipts database: a SQLite file or postgresql://user:password@host:port/db (env {DB_ENV}; "
    f"default: {DEFAULT_DB} beside mkdocs.yml).",
)


def _database(db: str | None, config_file: Path) -> str:
    if db:
        return db
    return str(config_file.resolve().parent / DEFAULT_DB)


def needs_extra(func: F) -> F:
    """Run the command only when the ``receipts`` extra is installed, else a PolicyError with the hint."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:  # every module of the service: SQLAlchemy, Starlette, uvicorn, jsonschema, fastjsonschema
            from ..receipts import app, export, serve, stats  # noqa: F401
        except ImportError as exc:
            raise PolicyError(
                f"the receipts commands need their extra dependencies ({exc.name or exc} is missing)",
                hint="pip install 'policyforge[receipts]'",
            ) from None
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _store(db: str | None, config_file: Path, *, migrate: bool = False, check: bool = True) -> Store:
    """Open the database; ``migrate`` creates or upgrades its tables, ``check`` wants them current."""
    from ..receipts.store import Store, open_store

    if not (migrate or check):
        return Store(_database(db, config_file))
    return open_store(_database(db, config_file), migrate=migrate)


def _ledger(config_file: Path) -> Ledger | None:
    """The project's released versions, when the project can be read (``show`` works without it)."""
    from ..receipts.ledger import Ledger

    try:
        return Ledger(document_options(read_project(config_file), None))
    except PolicyError:
        return None


@click.group("receipts", context_settings={"help_option_names": ["-h", "--help"]})
def receipts() -> None:
    """Proof of consent: the service that stores the banner's receipts, and reading them back."""


def _limit(name: str, default: float, kind: click.ParamType[Any], text: str) -> Callable[[F], F]:
    """A numeric option of ``serve`` with its default shown."""
    return click.option(name, default=default, show_default=True, type=kind, help=text)


@receipts.command("serve")
@config_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind a reverse proxy).")
@click.option("--port", default=8300, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--allow-origin",
    "allow_origins",
    multiple=True,
    envvar="POLICYFORGE_RECEIPTS_ORIGINS",
    metavar="ORIGIN",
    help="A site allowed to send receipts, e.g. https://www.example.com (repeat the "
    "option for each; env POLICYFORGE_RECEIPTS_ORIGINS, space-separated; * allows any).",
)
@_limit("--max-body", 8192, click.IntRange(256, 1 << 20), "Largest receipt accepted, in bytes (413 above).")
@_limit(
    "--rate-limit",
    20.0,
    click.FloatRange(0),
    "Valid receipts per second accepted from one client address, bursts of twice that (429 above; 0: no limit).",
)
@click.option(
    "--client-ip-header",
    default=None,
    metavar="HEADER",
    help="The header your reverse proxy sets to the visitor's address, e.g. X-Real-IP; read only when "
    "given (default: the address of the connection). Use it only when the service can be reached "
    "through the proxy alone.",
)
@_limit(
    "--body-timeout",
    10.0,
    click.FloatRange(0.1, 300),
    "Seconds a client has to send its whole receipt (408 and the connection closed after).",
)
@_limit(
    "--max-concurrent", 64, click.IntRange(1, 10_000), "Receipts handled at the same time (503 with Retry-After above)."
)
@click.option("--path", "url_path", default="/receipts", show_default=True, help="URL path that takes receipts.")
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
    help="Least important log lines shown.",
)
@report_errors
@needs_extra
def serve_cmd(
    config_file: Path,
    db: str | None,
    host: str,
    port: int,
    allow_origins: tuple[str, ...],
    max_body: int,
    rate_limit: float,
    client_ip_header: str | None,
    body_timeout: float,
    max_concurrent: int,
    url_path: str,
    log_level: str,
) -> None:
    """Run the receipts service: POST /receipts stores a receipt, GET /health checks the database.

    Receipts are checked against the policy history of this project. Logs are JSON lines on stderr.
    """
    _store(db, config_file, migrate=False, check=False).close()  # the extra is installed, the URL is valid
    from ..receipts.app import ServiceConfig
    from ..receipts.serve import ServeOptions, serve

    origins = tuple(o.rstrip("/") for value in allow_origins for o in value.split())
    config = ServiceConfig(
        allow_origins=origins,
        max_body=max_body,
        rate=rate_limit,
        path="/" + url_path.strip("/"),
        client_ip_header=client_ip_header,
        body_timeout=body_timeout,
        max_concurrent=max_concurrent,
    )
    serve(
        document_options(read_project(config_file), None),
        ServeOptions(_database(db, config_file), host, port, config, log_level),
    )


@receipts.command("migrate")
@config_option
@db_option
@report_errors
@needs_extra
def migrate_cmd(config_file: Path, db: str | None) -> None:
    """Create or upgrade the receipts tables (serve does it by itself)."""
    store = _store(db, config_file, migrate=False, check=False)
    try:
        before, after = store.migrate()
    finally:
        store.close()
    what = "already at" if before == after else f"migrated from {before} to"
    echo(f"{store.shown}: receipts schema {what} version {after}.")


def _line(item: StoredReceipt, ledger: Ledger | None, options: ProjectOptions | None) -> list[str]:
    r = item.receipt
    stamp = item.server_time.strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        f"{stamp}  {r.action}  (receipt {item.receipt_id})",
        f"  granted: {', '.join(r.granted) or 'none'}; refused: {', '.join(r.refused) or 'none'}",
        f"  policy version {r.version}, sha256 {r.sha256}, consent revision {r.revision}",
        f"  receipt format {r.format}: "
        + (
            "the banner named the version"
            if r.format == 1
            else "the banner named the revision; the service resolved the version in effect on arrival"
        ),
    ]
    facts = ledger.versions.get(r.version) if ledger else None
    if ledger is not None and facts is None:
        lines.append("  warning: this version is not in versions.lock of this project")
    elif facts is not None and facts.sha256 != r.sha256:
        lines.append(f"  warning: versions.lock has another sha256 for this version ({facts.sha256})")
    page = options.url(text_path(r.version)) if options else text_path(r.version)
    lines.append(f"  text the visitor saw: {page}")
    lines.append(
        f"  GPC {'on' if r.gpc else 'off'}, language {r.language}, origin {r.origin}, "
        f"visitor's clock {r.client_time or 'not sent (or not an RFC 3339 time)'}"
    )
    return lines


@receipts.command("show")
@config_option
@db_option
@click.argument("consent_id")
@click.option("--json", "as_json", is_flag=True, help="Print the receipts as JSON Lines.")
@report_errors
@needs_extra
def show_cmd(config_file: Path, db: str | None, consent_id: str, as_json: bool) -> None:
    """What a visitor chose, when, and the version they saw (CONSENT_ID, or one receipt id)."""
    from ..receipts.errors import ReceiptsError

    store = _store(db, config_file)
    try:
        found = store.find(consent_id)
    finally:
        store.close()
    if not found:
        raise ReceiptsError(
            f"no receipt with consent id or receipt id {consent_id!r}",
            hint="The visitor finds their consent id in the banner's settings.",
        )
    if as_json:
        for item in found:
            echo(json.dumps(item.as_json(), ensure_ascii=False))
        return
    ledger = _ledger(config_file)
    options = ledger.options if ledger else None
    echo(f"Consent id {found[0].receipt.consent_id}: {len(found)} receipt(s), oldest first.")
    for item in found:
        echo("\n".join(_line(item, ledger, options)))


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or date and time (ISO 8601)") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


@receipts.command("export")
@config_option
@db_option
@click.option(
    "--since",
    callback=_since,
    metavar="DATE",
    help="Only receipts stored on or after this date "
    "(YYYY-MM-DD, or an ISO 8601 date and time; UTC unless it has a zone). Default: all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (one receipt per line) or CSV with a header row.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: standard output).",
)
@report_errors
@needs_extra
def export_cmd(config_file: Path, db: str | None, since: dt.datetime | None, fmt: str, out: Path | None) -> None:
    """Write stored receipts, oldest first, as JSON Lines or CSV."""
    from ..receipts.export import write_export

    store = _store(db, config_file)
    start = since or dt.datetime(1970, 1, 1)
    try:
        if out is None:
            count = write_export(store.since(start), _EchoOut(fmt), fmt)
        else:
            with out.open("w", encoding="utf-8", newline="") as fh:
                count = write_export(store.since(start), fh, fmt)
    except OSError as exc:
        raise PolicyError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        store.close()
    if out is not None:
        echo(f"Wrote {count} receipt(s) to {out}.", err=True)


class _EchoOut(io.StringIO):
    """Standard output for ``export``: each write goes through :func:`echo` (JSON keeps its data via json_safe)."""

    def __init__(self, fmt: str) -> None:
        super().__init__()
        self.fmt = fmt

    def write(self, text: str) -> int:
        echo(json_safe(text) if self.fmt == "jsonl" else text, nl=False)
        return len(text)


@receipts.command("stats")
@config_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@report_errors
@needs_extra
def stats_cmd(config_file: Path, db: str | None, as_json: bool) -> None:
    """Count choices per version and category: accept, reject, custom, GPC, withdraw."""
    from dataclasses import asdict

    from ..receipts.stats import receipt_stats

    store = _store(db, config_file)
    try:
        counted = receipt_stats(store)
    finally:
        store.close()
    if as_json:
        echo(json.dumps([asdict(v) for v in counted], indent=2))
        return
    if not counted:
        echo("No receipts yet.")
        return
    for v in counted:
        actions = ", ".join(f"{name} {n}" for name, n in v.actions.items())
        echo(
            f"Version {v.version}: {v.receipts} receipt(s) from {v.visitors} visitor(s), "
            f"{v.asked_again} of them asked again after an earlier version"
        )
        echo(f"  {actions}")
        width = max((len(c) for c in v.categories), default=8)
        echo(f"  {'category':<{width}}  granted  refused")
        for name, count in sorted(v.categories.items()):
            echo(f"  {name:<{width}}  {count.granted:>7}  {count.refused:>7}")

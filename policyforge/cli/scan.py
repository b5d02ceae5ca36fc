"""The ``policyforge scan`` command: audit a live site against its policy in a real browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..terminal import json_safe
from .common import echo, report_errors

__all__ = ["scan"]


@click.command("scan")
@click.argument("url")
@click.option(
    "--policy",
    "policy_dir",
    type=click.Path(path_type=Path),
    default=Path("policy_source"),
    show_default=True,
    help="The policy_source folder whose policy.yaml declares the cookies.",
)
@click.option(
    "--pages",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Visit at most this many same-origin pages (breadth first from URL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (see docs/scan.md).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=5),
    default=180,
    show_default=True,
    metavar="SECONDS",
    help="Stop the whole scan after this long; each browser step also has its own limit (a quarter of "
    "it, between 5 and 20 s).",
)
@click.option(
    "--chromium-arg",
    "chromium_args",
    multiple=True,
    metavar="FLAG",
    help="Extra Chromium command-line flag (repeatable), e.g. --proxy-server=... or --host-resolver-rules=...",
)
def scan(url: str, policy_dir: Path, pages: int, as_json: bool, timeout: float, chromium_args: tuple[str, ...]) -> None:
    """Scan URL in headless Chromium: cookies, storage, third-party requests and WebSocket, EventSource
    and beacon channels before any choice, after "Reject all" and after "Accept all", checked against the
    policy.

    Exit status: 0 no findings, 1 findings, 2 unusable input (unreachable URL, invalid policy) or a scan
    that did not finish (its --timeout, or a page that stopped answering; the partial report is printed).
    """
    from ..audit import scan as scan_mod

    run = report_errors(scan_mod.scan_site)
    report = run(url, policy_dir, max_pages=pages, timeout=timeout, chromium_args=chromium_args)
    if as_json:
        echo(json_safe(json.dumps(report.to_json(), indent=2)))
    else:
        echo(scan_mod.format_report(report))
    if report.incomplete:
        echo(f"ERROR: the scan did not finish: {report.incomplete}", err=True)
        echo("hint: raise --timeout for a slow site; a page that never yields cannot be scanned.", err=True)
        sys.exit(2)
    sys.exit(1 if report.findings else 0)

"""The ``policyforge scan`` command: audit a live site against its policy in a real browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import report_errors

__all__ = ["scan"]


@click.command("scan")
@click.argument("url")
@click.option("--policy", "policy_dir", type=click.Path(path_type=Path), default=Path("policy_source"),
              show_default=True, help="The policy_source folder whose policy.yaml declares the cookies.")
@click.option("--pages", type=click.IntRange(min=1), default=10, show_default=True,
              help="Visit at most this many same-origin pages (breadth first from URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (see docs/scan.md).")
def scan(url: str, policy_dir: Path, pages: int, as_json: bool) -> None:
    """Scan URL in headless Chromium: cookies, storage and third-party requests before any choice,
    after "Reject all" and after "Accept all", checked against the policy.

    Exit status: 0 no findings, 1 findings, 2 unusable input (unreachable URL, invalid policy).
    """
    from ..audit import scan as scan_mod

    run = report_errors(scan_mod.scan_site)
    report = run(url, policy_dir, max_pages=pages)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(scan_mod.format_report(report))
    sys.exit(1 if report.findings else 0)

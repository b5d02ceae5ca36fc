"""The ``policyforge`` command group. Each command's module is imported only when that command runs.

A command imports what it needs, so ``policyforge diff`` does not load the site build, the banner, the
importer, the scanner and the receipts service first (their imports are most of a command's start-up).
"""

from __future__ import annotations

import importlib

import click

from .common import show_warnings

__all__ = ["COMMANDS", "main"]

#: Every command: its name and where it lives (module of this package, attribute), in ``--help``'s order.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("project", "build"),
    "check": ("project", "check"),
    "diff": ("versions", "diff_cmd"),
    "export": ("export", "export_cmd"),
    "import": ("importer", "import_cmd"),
    "new": ("project", "new_cmd"),
    "receipts": ("receipts", "receipts"),
    "release": ("versions", "release_cmd"),
    "scan": ("scan", "scan"),
    "schema": ("project", "schema"),
    "serve": ("project", "serve"),
    "translate": ("translate", "translate"),
    "versions": ("versions", "versions_cmd"),
    "widget": ("project", "widget_cmd"),
}


class _Commands(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
        assert isinstance(command, click.Command) and command.name == cmd_name
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policyforge")
def main() -> None:
    """policyforge: a privacy policy in YAML, published as a versioned site with a consent banner."""
    show_warnings()

"""The docs cannot drift: every CLI command and option, every plugin option and the --help
texts shown in docs/cli.md are checked against the real program.

Regenerate docs/cli.md after changing the CLI with: ``python -m tests.unit.test_docs_drift``.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from policyforge.cli.main import main
from policyforge.mkdocs_plugin.config import PolicyForgeConfig
from policyforge.source.options import PluginOptions
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[2]
CLI_DOC = ROOT / "docs" / "cli.md"
WIDTH = 100

INTRO = """# Command line

Every command except `scan` reads the project options from `mkdocs.yml` in the current folder
(or the file given with `-f/--config-file`); `scan` takes the policy folder with `--policy`.
Exit codes: 0 success, 1 findings (lint errors from `check` or `build`, `scan` findings,
`schema --check` on a stale schema), 2 invalid input or usage. Problems are printed as
`file:line:` lines and an `ERROR:` line with a hint. `python -m policyforge` is the same
program, and `python build.py` is `policyforge build`. `scan` drives a Chromium with Playwright
(installed with policyforge): `apt-get install chromium`, or `playwright install chromium`.

The help texts below are generated from the program and checked by the test suite.
"""


def plugin_section() -> str:
    """The plugin options, from their one definition (names, defaults and meaning)."""
    lines = []
    for name, field in PluginOptions.model_fields.items():
        default = (
            str(field.default).lower()
            if isinstance(field.default, bool)
            else "[]"
            if field.default == ()
            else str(field.default)
        )
        lines.append(f"{'      ' + name + ': ' + default:<27}  # {field.description}")
    return (
        "\n## MkDocs plugin options\n\n```yaml\nplugins:\n  - search\n  - policyforge:\n"
        + "\n".join(lines)
        + '\n```\n\nEach option has one type: a quoted `"false"` is an error, not a true value, in every command'
        "\n(`policyforge check`, `build`, `serve` and `mkdocs build`). `policyforge build --draft` and\n"
        "`policyforge serve` (unless `--no-draft`) turn `draft` on for that run.\n"
        "\nThe build replaces `site_dir` as a whole, so it refuses a `site_dir` (or `--site-dir`) that is the\n"
        "project folder or holds it, or that is, holds or sits inside the policy source or `docs/`; a\n"
        "`site_dir` that is a symbolic link is refused unless `allow_symlinked_site_dir: true`. Dotfiles at\n"
        "the top of the previous site (`.git`, `.nojekyll`) are kept. See [Security](security.md).\n"
    )


def help_text(args: list[str]) -> str:
    result = invoke(main, [*args, "--help"], terminal_width=WIDTH, prog_name="policyforge")
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def commands() -> dict[str, click.Command]:
    """Every command by its full name; a group's subcommands follow it (``receipts serve``)."""
    assert isinstance(main, click.Group)
    found: dict[str, click.Command] = {}
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None, name
        found[name] = command
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": cmd for sub, cmd in sorted(command.commands.items())})
    return found


def render() -> str:
    parts = [INTRO, "\n```text\n$ policyforge --help\n" + help_text([]) + "```\n"]
    for name in commands():
        usage = help_text(name.split())
        parts.append(f"\n## `policyforge {name}`\n\n```text\n$ policyforge {name} --help\n{usage}```\n")
    return "".join(parts) + plugin_section()


def test_cli_page_matches_the_real_help() -> None:
    assert CLI_DOC.read_text(encoding="utf-8") == render(), "run: python -m tests.unit.test_docs_drift"


def test_every_command_and_option_is_documented() -> None:
    page = CLI_DOC.read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in commands().items():
        assert f"## `policyforge {name}`" in page
        assert f"policyforge {name}" in readme, f"README's CLI table lacks `policyforge {name}`"
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in page for opt in param.opts), f"{name}: {param.opts} not in docs/cli.md"


def test_every_plugin_option_is_documented() -> None:
    page = CLI_DOC.read_text(encoding="utf-8")
    options = [name for name, _ in PolicyForgeConfig._schema]
    assert options[0] == "enabled"
    for name in options:
        assert re.search(rf"^\s+{name}: ", page, re.MULTILINE), f"plugin option {name!r} missing from docs/cli.md"


if __name__ == "__main__":
    CLI_DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {CLI_DOC}")

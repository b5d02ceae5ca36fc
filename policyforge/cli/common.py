"""What every command shares: printing, the ``--config-file`` option, error reporting and lint printing.

:func:`echo` is the only way commands print: every line passes through
:func:`~policyforge.terminal.terminal_safe`, so escape sequences from YAML, lock files or a
scanned page never reach the terminal (a test checks no other module prints).
:func:`report_errors` is the one place that turns a :class:`PolicyError` into ``ERROR:`` lines,
a hint and exit code 2, with no traceback (exit code 1 for a failing lint, :class:`LintError`).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import LintError, PolicyError, SourceError
from ..history.dates import date_problem
from ..source.documents import document_options
from ..source.options import ProjectOptions, read_project
from ..terminal import terminal_safe

__all__ = [
    "config_option",
    "date_value",
    "document_option",
    "echo",
    "plural",
    "print_lint_error",
    "read_document",
    "report_errors",
    "show_warnings",
    "text_or_json_option",
]

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config-file",
    "-f",
    type=click.Path(path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The project's mkdocs.yml (holds the policyforge options).",
)


def echo(message: object = "", *, err: bool = False, nl: bool = True, colors: bool = False) -> None:
    """Print ``message`` (on stderr with ``err``) without control characters.

    ``colors`` keeps the SGR colour codes of output that policyforge coloured itself.
    """
    click.echo(terminal_safe(str(message), keep_colors=colors), err=err, nl=nl)


class _WarningLines(logging.Handler):
    """Print the library's warnings (logger ``policyforge``) as ``warning:`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        echo(f"warning: {record.getMessage()}", err=True)


def show_warnings() -> None:
    """Route the library's warnings to stderr, once per process."""
    logger = logging.getLogger("policyforge")
    if not any(isinstance(h, _WarningLines) for h in logger.handlers):
        logger.addHandler(_WarningLines(logging.WARNING))
        logger.propagate = False


def report_errors(func: F) -> F:
    """Turn PolicyError into `ERROR:` lines, a hint and exit code 2, with no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LintError as exc:  # the lint gate: exit code 1, as for a failing `check`
            for problem in exc.problems:
                echo(str(problem), err=True)
            print_lint_error(exc)
            sys.exit(1)
        except SourceError as exc:
            for problem in exc.problems:
                echo(str(problem), err=True)
            echo(f"ERROR: {exc.summary()}", err=True)
            echo(f"hint: {exc.hint}", err=True)
            sys.exit(2)
        except PolicyError as exc:
            echo(f"ERROR: {exc}", err=True)
            if exc.hint:
                echo(f"hint: {exc.hint}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def print_lint_error(error: LintError) -> None:
    """The ``ERROR:`` line and the hint of a failing lint (its findings are printed before)."""
    echo(f"ERROR: {error.summary()}", err=True)
    echo(f"hint: {error.hint}", err=True)


def read_document(config_file: Path, document: str | None, **overrides: Any) -> ProjectOptions:
    """The options of one document of the project (``None``: the site's main document)."""
    return document_options(read_project(config_file, **overrides), document)


text_or_json_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Terminal text, or JSON data.",
)

document_option = click.option(
    "--document",
    metavar="ID",
    default=None,
    help="The document to act on, by its id in the `documents` plugin option (default: the one that declares "
    "consent, or the only one).",
)


def date_value(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """The value of a YYYY-MM-DD option, or a usage error saying what is wrong with it."""
    if value is None:
        return None
    problem = date_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return dt.date.fromisoformat(value)


def plural(n: int, word: str, many: str | None = None) -> str:
    """The CLI's own English counts: ``3 sections``, ``1 section``; ``many`` for irregular plurals (``categories``)."""
    return f"{n} {word if n == 1 else many or word + 's'}"

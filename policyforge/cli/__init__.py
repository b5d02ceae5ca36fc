"""The command line: click commands, the only place that prints and picks exit codes."""

from .main import main

__all__ = ["main"]

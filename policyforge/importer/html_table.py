"""Rows of table cells (already Markdown) → a GitHub pipe table, which policy text renders as a table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Row", "pipe_table"]

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Row:
    """One table row: its cells as inline Markdown, whether it is a header row, its source line."""

    cells: list[str]
    header: bool
    line: int


def pipe_table(rows: list[Row], line: int, note: Callable[[int, str], None]) -> list[tuple[str, int]]:
    """The pipe table's lines, each with its source line; ``note`` reports what changed.

    A pipe table has exactly one header row: without one, the first row becomes the header; a
    later header row stays a body row. Short rows are padded with empty cells.
    """
    rows = [r for r in rows if any(c.strip() for c in r.cells)]
    if not rows:
        if line:
            note(line, "empty table left out")
        return []
    head, body = rows[0], rows[1:]
    if not head.header:
        note(head.line, "table without a header row: its first row became the header row")
    width = max(len(r.cells) for r in rows)

    def cells(row: Row) -> str:
        padded = [_UNESCAPED_PIPE.sub(r"\\|", c) for c in row.cells] + [""] * (width - len(row.cells))
        return "| " + " | ".join(padded) + " |"

    out = [(cells(head), head.line), ("|" + "|".join(["---"] * width) + "|", head.line)]
    return out + [(cells(r), r.line) for r in body]

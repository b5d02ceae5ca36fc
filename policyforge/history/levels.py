"""Sections that changed level since the newest release, usually by a slip of indentation.

In YAML a subsection indented one step too shallow silently becomes a section of the level
above: still valid, so validation cannot object. Comparing the draft with the newest release
by section id catches it; moving a section on purpose is allowed, so this is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..source.options import ProjectOptions
from ..source.yaml_reader import Located, read_yaml
from .releases import History

__all__ = ["LevelChange", "level_changes"]


@dataclass(frozen=True)
class LevelChange:
    """One section whose level differs between the draft and the newest release."""

    id: str
    draft_file: str
    draft_line: int
    draft_parent: str | None
    released_file: str
    released_line: int
    released_parent: str | None
    released: str  # the release's date

    @staticmethod
    def _place(parent: str | None) -> str:
        return "a top-level section" if parent is None else f"a subsection of '{parent}'"

    def __str__(self) -> str:
        return (
            f"{self.draft_file}:{self.draft_line}: warning: section '{self.id}' is now "
            f"{self._place(self.draft_parent)}, but in the release {self.released} it is "
            f"{self._place(self.released_parent)} ({self.released_file}:{self.released_line}); "
            "if you did not mean to move it, check its indentation"
        )


def _sections(doc: Located) -> dict[str, tuple[int, str | None, int]]:
    """Section id -> (depth, parent id, line)."""
    out: dict[str, tuple[int, str | None, int]] = {}

    def walk(sections: Any, loc: tuple[str | int, ...], parent: str | None, depth: int) -> None:
        for i, sec in enumerate(sections if isinstance(sections, list) else []):
            if not isinstance(sec, dict) or not isinstance(sec.get("id"), str):
                continue
            here = (*loc, i)
            out.setdefault(sec["id"], (depth, parent, doc.line_of((*here, "id"))))
            walk(sec.get("sections"), (*here, "sections"), sec["id"], depth + 1)

    if isinstance(doc.data, dict):
        walk(doc.data.get("sections"), ("sections",), None, 0)
    return out


def level_changes(options: ProjectOptions, history: History, draft: Path | None = None) -> list[LevelChange]:
    """Sections of ``draft`` (default: policy.yaml) whose level differs from the newest release."""
    newest = history.newest
    if newest is None:
        return []
    draft = draft or options.policy_file
    released_path = options.source / newest.file
    mine = _sections(read_yaml(draft, options.display(draft)))
    theirs = _sections(read_yaml(released_path, options.display(released_path)))
    out = []
    for sid, (depth, parent, line) in mine.items():
        if sid in theirs and theirs[sid][0] != depth:
            _, old_parent, old_line = theirs[sid]
            out.append(
                LevelChange(
                    sid,
                    options.display(draft),
                    line,
                    parent,
                    options.display(released_path),
                    old_line,
                    old_parent,
                    newest.date,
                )
            )
    return out

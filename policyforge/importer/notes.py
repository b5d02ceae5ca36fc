"""What an import could not carry over, located by the line of the source document."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["STRUCK", "Converted", "Note"]

STRUCK = (
    "strike-through kept as ~~text~~ (policy text has no strike-through, the tildes show): decide whether "
    "the struck words belong in the policy"
)


@dataclass(frozen=True, order=True)
class Note:
    """One construct of the source that was changed or left out, at ``line`` of the source (1-based)."""

    line: int
    message: str

    def located(self, file: str, unit: str = "line") -> str:
        """``file:line: message`` as printed by ``policyforge import`` (``file: paragraph N: message`` for a
        Word file, whose notes count paragraphs; ``file: message`` when the place is unknown, line 0)."""
        if self.line == 0:
            return f"{file}: {self.message}"
        if unit == "paragraph":
            return f"{file}: paragraph {self.line}: {self.message}"
        return f"{file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Converted:
    """Markdown made from a source document: its text, the source line of each Markdown line, and notes.

    ``lines[i]`` is the source line (1-based) that produced Markdown line ``i`` (0-based); a
    Markdown source maps each line to itself.
    """

    markdown: str
    lines: tuple[int, ...]
    notes: tuple[Note, ...] = ()
    title: str | None = None  # the title a Markdown file's front matter gives, if any

    def source_line(self, md_line: int) -> int:
        """The source line of Markdown line ``md_line`` (0-based), clamped to the known lines."""
        if not self.lines:
            return md_line + 1
        return self.lines[max(0, min(md_line, len(self.lines) - 1))]

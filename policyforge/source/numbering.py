"""Section numbers (``1.``, ``2.1``), computed from document order and never stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Section

__all__ = ["NumberedSection", "numbered_sections"]


@dataclass(frozen=True)
class NumberedSection:
    """A section with its computed number (``"2.1"``) and depth (1 for top level)."""

    number: str
    depth: int
    section: Section
    parent_id: str | None

    @property
    def label(self) -> str:
        return f"{self.number}." if self.depth == 1 else self.number


def numbered_sections(
    sections: tuple[Section, ...], prefix: str = "", parent: str | None = None, depth: int = 1
) -> Iterator[NumberedSection]:
    """Walk sections in document order with their numbers."""
    for i, sec in enumerate(sections, start=1):
        number = f"{prefix}{i}"
        yield NumberedSection(number, depth, sec, parent)
        yield from numbered_sections(sec.sections, f"{number}.", sec.id, depth + 1)

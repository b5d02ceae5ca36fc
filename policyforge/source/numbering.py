"""Section numbers (``1.``, ``2.1``), computed from document order and never stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Section

__all__ = ["NumberedSection", "numbered_sections", "yaml_section_numbers"]


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


def yaml_section_numbers(sections: object, prefix: str = "") -> dict[str, str]:
    """Number → section id of the ``sections`` of a policy's YAML data, read without validating it (a released
    file, whose numbers a draft's literal "section 3" is checked against)."""
    out: dict[str, str] = {}
    for i, sec in enumerate(sections if isinstance(sections, list) else [], start=1):
        if isinstance(sec, dict) and isinstance(sec.get("id"), str):
            out[f"{prefix}{i}"] = sec["id"]
            out.update(yaml_section_numbers(sec.get("sections"), f"{prefix}{i}."))
    return out

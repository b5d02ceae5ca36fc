"""Typed errors. ``str()`` of each is the message a user reads; only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BuildError",
    "DocumentError",
    "LintError",
    "LockError",
    "PolicyError",
    "Problem",
    "ReleaseError",
    "SourceError",
]


class PolicyError(Exception):
    """Base class of every error policyforge raises on purpose."""

    hint: str = ""

    def __init__(self, *args: object, hint: str | None = None) -> None:
        super().__init__(*args)
        if hint is not None:
            self.hint = hint


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one source file, located by line."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class SourceError(PolicyError):
    """The policy source is invalid; carries every problem found in one run."""

    hint = "Fix the lines above; `policyforge check` re-validates without building."

    def __init__(self, problems: list[Problem], source: str | Path = "policy_source") -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.path))
        self.source = str(source)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        word = "problem" if n == 1 else "problems"
        return f"{n} {word} in {self.source}; nothing was built."

    def __str__(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary()])


class LintError(SourceError):
    """The policy a build would publish fails the lint (docs/lint-rules.md): nothing was built.

    ``problems`` are every finding (warnings too, as ``file:line: severity: message [rule]``); ``failing`` is how
    many of them fail the build (the errors, or with ``strict`` all of them).
    """

    hint = 'every rule is explained, with its legal source, on the "Lint rules" page (docs/lint-rules.md)'

    def __init__(self, problems: list[Problem], source: str | Path, failing: int, *, building: bool = True) -> None:
        self.failing = failing
        self.building = building
        super().__init__(problems, source)

    def summary(self) -> str:
        tail = "; nothing was built." if self.building else "."
        return f"{self.failing} lint finding(s) in {self.source}{tail}"


class LockError(PolicyError):
    """The release history does not verify: a malformed lock, or a released file that no longer matches it.

    Each raiser gives the hint that fits its case (restore the lock, restore the file, ...).
    """


class ReleaseError(PolicyError):
    """``policyforge release`` refused to freeze (or withdraw) a version; the message says why."""


class BuildError(PolicyError):
    """The site could not be built (configuration, missing site_url, I/O)."""

    hint = "Check mkdocs.yml and the plugin options."


class DocumentError(PolicyError):
    """``policyforge import`` could not read a document or make a valid policy of it; the message says why."""

    hint = "import reads Markdown (.md), HTML (.html, .htm) and Word (.docx) files; see docs/import.md."

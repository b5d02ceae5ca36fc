"""The validated inputs of one site build, and URL helpers shared by the page generators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .consent import consent_revision
from .diff import PolicyDiff
from .model import Policy
from .project import ProjectOptions
from .versions import History

__all__ = ["SiteInputs", "relative_url"]


@dataclass(frozen=True)
class SiteInputs:
    """Validated inputs of one build."""

    options: ProjectOptions
    current: Policy
    version: str
    history: History = field(default_factory=History)
    draft: Policy | None = None
    changes: Mapping[str, PolicyDiff] = field(default_factory=dict)

    @property
    def revision(self) -> str:
        return consent_revision(self.current)


def relative_url(from_page: str, target: str) -> str:
    """Relative URL from a page URL (``versions/2025-03-01/``) to a site path (``consent/consent.js``)."""
    depth = from_page.strip("/").count("/") + 1 if from_page.strip("/") else 0
    return "../" * depth + target.lstrip("/")

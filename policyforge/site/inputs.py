"""The validated inputs of one site build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..history.diff import PolicyDiff
from ..history.releases import History
from ..source.lint import LintFinding
from ..source.model import Policy
from ..source.options import ProjectOptions
from ..source.revision import consent_revision
from ..translation.apply import Translated
from ..translation.drift import Timeline

__all__ = ["SiteInputs"]


@dataclass(frozen=True)
class SiteInputs:
    """Validated inputs of one build."""

    options: ProjectOptions
    current: Policy
    version: str
    history: History = field(default_factory=History)
    draft: Policy | None = None
    changes: Mapping[str, PolicyDiff] = field(default_factory=dict)  # release date -> its own changes
    since: Mapping[str, PolicyDiff] = field(default_factory=dict)  # release date -> changes up to the current one
    documents: tuple[SiteInputs, ...] = ()  # the site's other documents (under /ID/); set on the main one only
    lang: str = ""  # the pages' language in a translated site (under /LANG/); "" for the original's site
    root_url: str = ""  # site_url of the original's site (the root), in a translated site
    # The original's site: the current policy in each language of `translations` (live translation applied).
    translations: Mapping[str, Translated] = field(default_factory=dict)
    # A translated site: its current policy (`current` is its .policy), each release in its language (by date,
    # from the translation frozen with it), and the original's current policy.
    translated: Translated | None = None
    release_texts: Mapping[str, Translated] = field(default_factory=dict)
    original: Policy | None = None
    timeline: Timeline | None = None  # the original's parts over the releases: when a stale part's original changed
    lint: tuple[LintFinding, ...] = ()  # the lint findings of the policy this document's site shows (lint_gate.py)

    @property
    def page_lang(self) -> str:
        """The language of the pages built from these inputs."""
        return self.lang or self.options.language

    @property
    def lang_prefix(self) -> str:
        """The folder of this language's site under the root: ``de/``, or ``""`` for the original's."""
        return f"{self.lang}/" if self.lang else ""

    @property
    def all_documents(self) -> tuple[SiteInputs, ...]:
        """This document (the site's main one) and the others, in order."""
        return (self, *self.documents)

    @property
    def has_banner(self) -> bool:
        """True when the site publishes a banner: the option is on and this document declares ``consent``."""
        return self.options.banner and self.current.consent is not None

    @property
    def revision(self) -> str:
        """The consent revision: the shown release's as the lock keeps it (a consent change released as
        editorial keeps the one before), else the original's text's (the same in every language)."""
        shown = next((r for r in self.history.releases if r.date == self.version), None)
        return shown.consent_revision if shown is not None else consent_revision(self.original or self.current)

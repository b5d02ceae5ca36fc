"""``check``: everything a build validates and lints, without building anything.

:func:`check_project` reads every document of the project (the others are the targets of ``doc:``
links), its translations and its history's lock, and lints each checked draft. Problems raise a
:class:`SourceError` with all of them at once; what does not stop a build (lint findings, warnings,
translation counts) comes back in a :class:`CheckReport`, whose :attr:`~CheckReport.failed` applies
the same lint gate as the build (errors; with ``strict``, any finding). Printing is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import LintError, Problem, SourceError
from ..history.levels import level_changes
from ..history.releases import History, load_history
from ..source.documents import cross_link_problems, document_options, project_documents
from ..source.lint import LintFinding, lint_error, lint_file
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.numbering import yaml_section_numbers
from ..source.options import ProjectOptions
from ..source.yaml_reader import read_yaml
from ..translation.apply import stale_problems, translate_policy
from ..translation.drift import translate_shown
from ..translation.read import Translation, translation_problems
from .feeds import require_site_url
from .urls import check_url

__all__ = ["CheckReport", "DocumentCheck", "TranslationCount", "check_project"]


@dataclass(frozen=True)
class TranslationCount:
    """How many parts of one translation are current, stale or missing, against the draft."""

    lang: str
    file: str
    current: int
    stale: int
    missing: int


@dataclass(frozen=True)
class DocumentCheck:
    """One checked document: its draft, lint findings, warnings (level changes, untranslated parts)."""

    options: ProjectOptions
    policy: Policy
    lint: tuple[LintFinding, ...]
    warnings: tuple[str, ...]
    translations: tuple[TranslationCount, ...]
    lint_error: LintError | None  # the error the lint gate raises for this draft; None when it passes


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check_project`, one :class:`DocumentCheck` per checked document."""

    documents: tuple[DocumentCheck, ...]
    strict: bool

    @property
    def failed(self) -> bool:
        """True when a document fails the lint gate (what ``policyforge check`` exits 1 for)."""
        return any(doc.lint_error is not None for doc in self.documents)


def check_project(project: ProjectOptions, document: str | None = None, *, strict: bool = False) -> CheckReport:
    """Validate and lint the project's documents (``document``: that one only); raises :class:`SourceError`.

    Every released version is checked against versions.lock (its hash); they were validated when
    released, and a build reads them all again.
    """
    if project.site_url:
        check_url(project.site_url)
    documents = project_documents(project)
    checked = documents if document is None else (document_options(project, document),)
    policies: dict[str, Policy] = {}
    problems: list[Problem] = []
    for options in documents:  # every document: the others are the targets of `doc:` links
        try:
            policies[options.document] = load_policy(
                options.policy_file, allow_html=options.allow_html, display=options.display(options.policy_file)
            )
        except SourceError as exc:
            if len(documents) == 1:
                raise
            problems += exc.problems if options in checked else []
    if not problems:
        shown = {o.display(o.policy_file) for o in checked}
        problems = [p for p in cross_link_problems(documents, policies) if p.file in shown]
    translations: dict[str, tuple[dict[str, Translation], list[Problem]]] = {}
    for options in checked:  # every translation problem at once, with the policy's
        if options.document in policies:
            found, errors, warnings = translation_problems(options, policies[options.document])
            problems += errors + _stale_problems(options, policies[options.document], found)
            translations[options.document] = (found, warnings)
    if problems:
        raise SourceError(problems, source=project.display(project.source) if len(documents) == 1 else "the documents")
    return CheckReport(
        tuple(
            _check_document(options, policies[options.document], *translations[options.document], strict=strict)
            for options in checked
        ),
        strict,
    )


def _stale_problems(options: ProjectOptions, policy: Policy, found: dict[str, Translation]) -> list[Problem]:
    """With ``stale_translations: error``, each part the build would publish stale (against the version it shows)."""
    if options.stale_translations != "error" or not found:
        return []
    history = load_history(options)
    current = history.shown()
    return stale_problems(translate_shown(history, current.policy if current else policy, found))


def _check_document(
    options: ProjectOptions,
    policy: Policy,
    found: dict[str, Translation],
    translation_warnings: list[Problem],
    *,
    strict: bool,
) -> DocumentCheck:
    history = load_history(options)  # the lock and every hash; no released file is parsed
    if history.newest is not None:
        require_site_url(options)  # the history's feeds need absolute links
    warnings = [str(change) for change in level_changes(options, history)]
    warnings += [
        f"{w.file}:{w.line}: warning: {w.message}" if w.line else f"{w.file}: warning: {w.message}"
        for w in translation_warnings
    ]
    released = _released_numbers(options, history)
    findings = lint_file(options.policy_file, policy, display=options.display(options.policy_file), released=released)
    error = lint_error(findings, options.display(options.policy_file), strict=strict, building=False)
    counts = []
    for lang, translation in found.items():
        states = [s.status for s in translate_policy(policy, translation).states.values()]
        counts.append(
            TranslationCount(lang, translation.file, *(states.count(k) for k in ("current", "stale", "missing")))
        )
    return DocumentCheck(options, policy, tuple(findings), tuple(warnings), tuple(counts), error)


def _released_numbers(options: ProjectOptions, history: History) -> tuple[str, dict[str, str]] | None:
    """The newest release's date and section numbers (read as YAML, not parsed as a policy): a literal
    "section 3" in the draft is checked against them."""
    newest = history.newest
    if newest is None:
        return None
    path = options.source / newest.file
    data = read_yaml(path, options.display(path)).data
    return newest.date, yaml_section_numbers(data.get("sections") if isinstance(data, dict) else None)

"""The documents of a project: one privacy policy, or several documents published on one site.

A project lists its documents in the ``documents`` plugin option (``{id, source}`` each); without
it, the one document in ``source`` is the project, as before. The document that declares
``consent`` is the site's main document, published at the root (the banner comes from it);
every other one is published under ``/ID/`` with the same URL map. At most one document may
declare ``consent``.

Policy text links to another document with ``doc:ID`` or ``doc:ID#section``;
:func:`cross_link_problems` checks every such link of the drafts against the documents' sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..errors import BuildError, Problem, SourceError
from .model import Policy
from .numbering import numbered_sections
from .options import ProjectOptions

__all__ = ["DOC_LINK", "cross_link_problems", "document_options", "project_documents", "section_ids"]

DOC_LINK = re.compile(r"\bdoc:([a-z0-9][a-z0-9-]*)(?:#([A-Za-z0-9_-]*))?")
_CONSENT_KEY = re.compile(r"^consent[ \t]*:", re.MULTILINE)


def _consent_line(file: Path) -> int:
    """Line of the top-level ``consent:`` key in ``file``; 0 when there is none (or no file yet)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    match = _CONSENT_KEY.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def project_documents(options: ProjectOptions) -> tuple[ProjectOptions, ...]:
    """Options of every document, the site's main document (at the root) first.

    A project without ``documents`` is its one document, unchanged. Raises :class:`SourceError`
    (file:line of each ``consent:``) when two documents declare ``consent``.
    """
    if not options.documents:
        return (options,)
    docs = [
        options.model_copy(update={"source": options.root / entry.source, "document": entry.id})
        for entry in options.documents
    ]
    declaring = [(doc, line) for doc in docs if (line := _consent_line(doc.policy_file))]
    if len(declaring) > 1:
        first = declaring[0]
        raise SourceError(
            [
                Problem(
                    first[0].display(first[0].policy_file),
                    first[1],
                    "consent",
                    f"document {first[0].document!r} declares `consent`",
                )
            ]
            + [
                Problem(
                    doc.display(doc.policy_file),
                    line,
                    "consent",
                    f"document {doc.document!r} declares `consent` too; exactly one document "
                    f"of a site declares it (the banner comes from it), here "
                    f"{first[0].document!r}",
                )
                for doc, line in declaring[1:]
            ],
            source="the documents",
        )
    main = declaring[0][0] if declaring else docs[0]
    return (main, *(d.model_copy(update={"prefix": d.document + "/"}) for d in docs if d is not main))


def document_options(options: ProjectOptions, document: str | None) -> ProjectOptions:
    """Options of the document ``document`` (its id); ``None``: the site's main document."""
    docs = project_documents(options)
    if document is None:
        return docs[0]
    for doc in docs:
        if doc.document == document:
            return doc
    known = ", ".join(d.document for d in docs if d.document) or "none (one-document project)"
    raise BuildError(
        f"unknown document {document!r} (documents: {known})",
        hint="Documents are listed in the `documents` option of the policyforge plugin in mkdocs.yml.",
    )


def section_ids(policy: Policy) -> set[str]:
    """Every section id of ``policy`` (the anchors a ``doc:`` link may name)."""
    return {ns.section.id for ns in numbered_sections(policy.sections)}


def _links(file: Path) -> Iterator[tuple[int, str, str | None]]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, line in enumerate(lines, start=1):
        for match in DOC_LINK.finditer(line):
            yield number, match.group(1), match.group(2)


def cross_link_problems(documents: Sequence[ProjectOptions], policies: Mapping[str, Policy]) -> list[Problem]:
    """``doc:ID#section`` links in the documents' drafts that name an unknown document or section.

    ``policies`` maps each document's id (``""`` in a one-document project) to its policy.
    """
    problems: list[Problem] = []
    known = {doc.document: section_ids(policies[doc.document]) for doc in documents if doc.document in policies}
    for doc in documents:
        for line, target, section in _links(doc.policy_file):
            where = doc.display(doc.policy_file)
            if target not in known or not target:
                names = ", ".join(sorted(k for k in known if k)) or "none: this project has one document"
                problems.append(
                    Problem(where, line, "", f"link to unknown document `doc:{target}` (documents: {names})")
                )
            elif section and section not in known[target]:
                problems.append(
                    Problem(
                        where,
                        line,
                        "",
                        f"link to unknown section `doc:{target}#{section}`: "
                        f"document {target!r} has no section with that id",
                    )
                )
    return problems

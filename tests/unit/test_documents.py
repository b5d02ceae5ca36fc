"""Several documents on one project: options, the main document, consent, cross-document links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policyforge.errors import BuildError, SourceError
from policyforge.source.documents import cross_link_problems, document_options, project_documents
from policyforge.source.lint import lint_file
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from policyforge.source.revision import consent_revision
from tests.conftest import FIXTURES


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "multidoc", tmp_path / "p")
    return tmp_path / "p"


def test_one_document_project_is_unchanged() -> None:
    options = read_project(FIXTURES / "valid-tiny" / "mkdocs.yml")
    assert project_documents(options) == (options,)
    assert options.prefix == "" and options.url("feed.xml") == "https://fixture.example/feed.xml"


def test_the_consent_document_is_at_the_root_whatever_its_place(project: Path) -> None:
    docs = project_documents(read_project(project / "mkdocs.yml"))
    assert [(d.document, d.prefix) for d in docs] == [("privacy", ""), ("terms", "terms/")]
    assert docs[1].policy_file == project / "terms_source" / "policy.yaml"
    assert docs[1].url("changes/2025-03-01/") == "https://docs.fixture.example/terms/changes/2025-03-01/"
    assert docs[1].base_path == "/terms/"
    assert document_options(read_project(project / "mkdocs.yml"), None).document == "privacy"
    assert document_options(read_project(project / "mkdocs.yml"), "terms").prefix == "terms/"
    with pytest.raises(BuildError, match="unknown document 'tos' \\(documents: privacy, terms\\)"):
        document_options(read_project(project / "mkdocs.yml"), "tos")


def test_a_document_without_consent_loads_lints_and_has_a_revision(project: Path) -> None:
    policy = load_policy(project / "terms_source" / "policy.yaml")
    assert policy.consent is None and policy.categories == ()
    assert len(consent_revision(policy)) == 12
    assert [f.rule for f in lint_file(project / "terms_source" / "policy.yaml", policy)] == []
    with pytest.raises(BuildError, match="declares no `consent` block"):
        policy.require_consent()


def test_include_of_categories_needs_a_consent_block(project: Path) -> None:
    path = project / "terms_source" / "policy.yaml"
    path.write_text(path.read_text() + "  - id: cookies\n    title: Cookies\n    include: consent-categories\n")
    with pytest.raises(SourceError) as info:
        load_policy(path)
    assert any(p.line == 18 and "needs a `consent` block" in p.message for p in info.value.problems)


def test_two_documents_declaring_consent_is_an_error_with_lines(project: Path) -> None:
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(
        terms.read_text() + "consent:\n  categories:\n    - {id: essential, title: E, description: D, required: true}\n"
    )
    with pytest.raises(SourceError) as info:
        project_documents(read_project(project / "mkdocs.yml"))
    text = str(info.value)
    assert "privacy_source/policy.yaml:16: consent: document 'privacy' declares `consent` too" in text
    assert "terms_source/policy.yaml:16: consent: document 'terms' declares `consent`\n" in text


def test_cross_document_links_are_checked_with_file_and_line(project: Path) -> None:
    options = read_project(project / "mkdocs.yml")
    docs = project_documents(options)
    policies = {d.document: load_policy(d.policy_file) for d in docs}
    assert cross_link_problems(docs, policies) == []
    terms = project / "terms_source" / "policy.yaml"
    terms.write_text(
        terms.read_text()
        .replace("doc:privacy#introduction", "doc:privacy#intro")
        .replace("as is,", "as is ([see](doc:cookie-policy)),")
    )
    problems = [str(p) for p in cross_link_problems(docs, policies)]
    assert problems == [
        "terms_source/policy.yaml:12: link to unknown section `doc:privacy#intro`: document 'privacy' has no "
        "section with that id",
        "terms_source/policy.yaml:15: link to unknown document `doc:cookie-policy` (documents: privacy, terms)",
    ]


def test_document_options_are_strict(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    for documents, message in (
        ("[{id: versions, source: v}]", "document id 'versions' is reserved"),
        ("[{id: a, source: x}, {id: a, source: y}]", "the id 'a' is listed twice"),
        ("[{id: a}]", "documents.0.source"),
        ("[{id: Terms, source: t}]", "documents.0.id"),
    ):
        config.write_text(f"plugins:\n  - policyforge:\n      documents: {documents}\n")
        with pytest.raises(BuildError, match=message):
            read_project(config)

"""Translation files: read and checked against the original with file:line, applied by id, drift by fingerprint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from policyforge.errors import SourceError
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy, TermItem
from policyforge.source.options import read_project
from policyforge.translation.apply import category_key, translate_policy
from policyforge.translation.read import (
    fingerprint_category,
    fingerprint_document,
    fingerprint_section,
    load_translations,
    read_translation,
)
from tests.conftest import FIXTURES, copy_project

POLICY = textwrap.dedent("""\
    title: Privacy Policy
    product: Acme
    controller: {name: Acme Ltd, email: privacy@acme.example}
    preamble: We respect your privacy.
    quick_reference:
      - We collect little.
      - We sell nothing.
    sections:
      - id: intro
        title: Introduction
        text: This policy explains what we do.
        sections:
          - id: scope
            title: Scope
            text: It covers the app.
      - id: data
        title: Data we collect
        items:
          - {term: Account, text: your name and e-mail.}
          - Usage data.
        table:
          columns: [Data, Kept for]
          rows:
            - [Account, 2 years]
      - id: cookies
        title: Cookies
        include: consent-categories
    consent:
      categories:
        - id: necessary
          title: Necessary
          description: Keeps the site running.
          required: true
          cookies:
            - {name: session, provider: Acme, purpose: Keeps you signed in., duration: session}
        - id: analytics
          title: Analytics
          description: Counts visits.
          cookies:
            - {name: _ga, provider: Google, purpose: Tells visitors apart., duration: 1 year}
    """)

GERMAN = textwrap.dedent("""\
    language: de
    title: Datenschutzerklärung
    preamble: Wir respektieren Ihre Privatsphäre.
    quick_reference:
      - Wir erheben wenig.
      - Wir verkaufen nichts.
    sections:
      intro:
        title: Einleitung
        text: Diese Erklärung beschreibt, was wir tun.
      data:
        title: Daten, die wir erheben
        items:
          - {term: Konto, text: Ihr Name und Ihre E-Mail-Adresse.}
          - Nutzungsdaten.
        table:
          columns: [Daten, Aufbewahrt für]
          rows:
            - [Konto, 2 Jahre]
      cookies:
        title: Cookies
    categories:
      necessary:
        title: Notwendig
        description: Hält die Website am Laufen.
        cookies: {session: Hält Sie angemeldet.}
    banner:
      accept: Alle akzeptieren
    """)


@pytest.fixture
def policy(tmp_path: Path) -> Policy:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return load_policy(tmp_path / "policy.yaml")


def marked(policy: Policy, text: str = GERMAN) -> str:
    """``text`` with every entry marked as translated from ``policy``'s texts (as `translate mark` does)."""
    sections = {s.id: s for s in (*policy.sections, *policy.sections[0].sections)}
    for sid in ("intro", "data", "cookies"):
        text = text.replace(f"  {sid}:\n", f"  {sid}:\n    translated_from: {fingerprint_section(sections[sid])}\n")
    necessary = fingerprint_category(policy.categories[0])
    text = text.replace("  necessary:\n", f"  necessary:\n    translated_from: {necessary}\n")
    return text.replace(
        "title: Datenschutzerklärung",
        f"translated_from: {fingerprint_document(policy)}\ntitle: Datenschutzerklärung",
        1,
    )


def _read(tmp_path: Path, policy: Policy, text: str) -> tuple[object, list[str], list[str]]:
    path = tmp_path / "de.yaml"
    path.write_text(text, encoding="utf-8")
    translation, errors, warnings = read_translation(path, policy, lang="de", display="de.yaml")
    return translation, [str(e) for e in errors], [str(w) for w in warnings]


def test_a_complete_entry_translates_by_id_and_keeps_the_structure(tmp_path: Path, policy: Policy) -> None:
    translation, errors, warnings = _read(tmp_path, policy, marked(policy))
    assert errors == []
    assert warnings == [
        "de.yaml:8: sections: section 'scope' is not translated (the original's text is shown)",
        "de.yaml:26: categories: consent category 'analytics' is not translated (the original's texts are shown)",
    ]
    assert translation is not None
    result = translate_policy(policy, translation)  # type: ignore[arg-type]
    german = result.policy
    assert german.title == "Datenschutzerklärung" and german.quick_reference[1] == "Wir verkaufen nichts."
    assert [s.id for s in german.sections] == ["intro", "data", "cookies"]
    assert german.sections[0].title == "Einleitung" and german.sections[0].sections[0].title == "Scope"
    assert german.sections[1].items[0] == TermItem(term="Konto", text="Ihr Name und Ihre E-Mail-Adresse.")
    assert german.sections[1].table is not None and german.sections[1].table.rows == (("Konto", "2 Jahre"),)
    assert german.sections[2].include == "consent-categories"
    necessary, analytics = german.categories
    assert (necessary.title, necessary.required, necessary.cookies[0].purpose) == (
        "Notwendig",
        True,
        "Hält Sie angemeldet.",
    )
    assert (necessary.cookies[0].duration, analytics.title) == ("session", "Analytics")
    assert german.controller == policy.controller
    assert {k: s.status for k, s in result.states.items()} == {
        "document": "current",
        "intro": "current",
        "scope": "missing",
        "data": "current",
        "cookies": "current",
        category_key("necessary"): "current",
        category_key("analytics"): "missing",
    }
    # an entry not marked yet (a skeleton's, work in progress) is not shown: the original is
    unmarked, _, _ = _read(tmp_path, policy, GERMAN)
    result = translate_policy(policy, unmarked)  # type: ignore[arg-type]
    assert {s.status for s in result.states.values()} == {"missing"} and result.policy == policy
    assert translation.banner == {"accept": "Alle akzeptieren"}  # type: ignore[attr-defined]


def test_fingerprints_tie_an_entry_to_the_text_it_was_translated_from(tmp_path: Path, policy: Policy) -> None:
    translation, errors, _ = _read(tmp_path, policy, marked(policy))
    assert errors == []
    # The English intro changes: exactly that section is stale; its subsection's own text did not change.
    edited = policy.model_copy(
        update={
            "sections": (
                policy.sections[0].model_copy(update={"text": "This policy explains what we do and why."}),
                *policy.sections[1:],
            )
        }
    )
    states = translate_policy(edited, translation).states  # type: ignore[arg-type]
    assert [k for k, s in states.items() if s.status == "stale"] == ["intro"]
    assert states["intro"].translated_from == fingerprint_section(policy.sections[0]) and states["intro"].line == 9
    shown = translate_policy(edited, translation).policy  # type: ignore[arg-type]
    assert section_text(shown) == "Diese Erklärung beschreibt, was wir tun."


def section_text(policy: Policy) -> str | None:
    return policy.sections[0].text


def test_an_older_release_with_another_structure_falls_back_to_the_original(tmp_path: Path, policy: Policy) -> None:
    translation, errors, _ = _read(tmp_path, policy, marked(policy))
    assert errors == []
    older = policy.model_copy(
        update={
            "sections": (
                policy.sections[0],
                policy.sections[1].model_copy(update={"items": policy.sections[1].items[:1]}),
                policy.sections[2],
            )
        }
    )
    result = translate_policy(older, translation)  # type: ignore[arg-type]
    assert result.states["data"].status == "missing" and result.policy.sections[1].title == "Data we collect"
    assert result.policy.sections[0].title == "Einleitung"


BAD = textwrap.dedent("""\
    language: fr
    controller: {name: Acme GmbH}
    sections:
      intro:
        id: intro
        title: Einleitung
      introduction:
        title: x
      data:
        title: Daten
        items: [nur eins]
        table: {columns: [Daten], rows: [[Konto, 2]]}
        after: Danach.
    categories:
      analytics:
        title: Analyse
        gcm: [analytics_storage]
        cookies: {_gaa: x}
      marketing: {title: Werbung, description: x}
    banner:
      accept: ""
      acept: Ja
    """)


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path, policy: Policy) -> None:
    _, errors, _ = _read(tmp_path, policy, BAD)
    assert errors == [
        "de.yaml:1: language: expected `language: de` (the file's name says de)",
        "de.yaml:2: controller.name: `name` may not be translated: it is data and comes from the original",
        "de.yaml:4: sections.intro: `text` is missing: the original section has it, so its translation must too",
        "de.yaml:5: sections.intro.id: `id` may not be translated: it comes from the original",
        "de.yaml:7: sections.introduction: no section 'introduction' in the original",
        "de.yaml:11: sections.data.items: expected a list of 2 items, one per item of the original, in order",
        "de.yaml:12: sections.data.table.columns: expected 2 column headings, as in the original",
        "de.yaml:13: sections.data.after: the original section has no `after`, so there is nothing to translate",
        "de.yaml:15: categories.analytics.description: `description` is missing: give the category's "
        "translated description",
        "de.yaml:17: categories.analytics.gcm: `gcm` may not be translated: it comes from the original",
        "de.yaml:18: categories.analytics.cookies: missing the purpose of '_ga'",
        "de.yaml:18: categories.analytics.cookies._gaa: no cookie '_gaa' in this category of the original "
        "(did you mean '_ga'?)",
        "de.yaml:19: categories.marketing: no consent category 'marketing' in the original",
        "de.yaml:21: banner.accept: expected the translated text",
        "de.yaml:22: banner.acept: unknown key 'acept' in the banner texts (did you mean 'accept'?)",
    ]


def test_markdown_rules_hold_in_translations(tmp_path: Path, policy: Policy) -> None:
    text = GERMAN.replace("text: Diese Erklärung beschreibt, was wir tun.", 'text: "Diese <b>Erklärung</b>."')
    _, errors, _ = _read(tmp_path, policy, text)
    assert errors == [
        "de.yaml:10: sections.intro.text: raw HTML '<b>' is not allowed in policy text; use "
        "Markdown, or set `allow_html: true` in the project options"
    ]


def test_a_project_loads_the_translations_it_configures(tmp_path: Path) -> None:
    root = copy_project(tmp_path, FIXTURES / "history-basic")
    config = root
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - policyforge:\n", "  - policyforge:\n      translations: [de, ar]\n"
        ),
        encoding="utf-8",
    )
    options = read_project(config)
    policy = load_policy(options.policy_file)
    assert load_translations(options, policy) == {}  # no files yet: the pages show the original
    folder = options.source / "translations"
    folder.mkdir()
    (folder / "de.yaml").write_text("language: de\nsections:\n  nope: {title: x}\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_translations(options, policy)
    assert "translations/de.yaml:3: sections.nope: no section 'nope' in the original" in str(caught.value)


def test_a_change_of_the_original_never_makes_a_marked_translation_an_error(tmp_path: Path, policy: Policy) -> None:
    """The editor adds an item and renames a section id: the translator's marked entries no longer fit. That
    is drift, not a mistake: warnings (the parts show the original), so no translation blocks a release."""
    text = marked(policy)
    edited = policy.model_copy(
        update={
            "sections": (
                policy.sections[0].model_copy(update={"id": "introduction"}),
                policy.sections[1].model_copy(update={"items": (*policy.sections[1].items, "Device data.")}),
                policy.sections[2],
            )
        }
    )
    translation, errors, warnings = _read(tmp_path, edited, text)
    assert errors == []
    assert [w for w in warnings if "changed since" in w or "renamed" in w] == [
        "de.yaml:9: sections.intro: no section 'intro' in the original: removed or "
        "renamed since this was translated; the entry is ignored (delete it, or move it to the new id)",
        "de.yaml:16: sections.data.items: expected a list of 3 items, one per item of the original, in order (the "
        "original changed since this was translated: its text is shown until the entry is updated and marked)",
    ]
    result = translate_policy(edited, translation)  # type: ignore[arg-type]
    assert result.states["data"].status == "missing" and result.policy.sections[1].title == "Data we collect"
    # the same misfit in an entry marked from the current text (or not marked) is the translator's: an error
    _, errors, _ = _read(tmp_path, edited, text.replace("  intro:\n    translated_from", "  intro:\n    x_from"))
    assert "de.yaml:9: sections.intro: no section 'intro' in the original" in errors

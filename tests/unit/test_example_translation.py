"""The shipped example's German translations: complete, faithful in what must not change, and stale in exactly
the one section kept stale on purpose (International Transfers, translated from the 2025-03-01 English)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyforge.history.releases import load_history
from policyforge.source.documents import project_documents
from policyforge.source.loader import load_policy
from policyforge.source.model import ConsentCategory, Policy, Section, TermItem
from policyforge.source.numbering import numbered_sections
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.apply import DOCUMENT_KEY, Translated, category_key, translate_policy
from policyforge.translation.read import (
    Translation,
    fingerprint_section,
    translation_problems,
)

ROOT = Path(__file__).resolve().parents[2]
STALE_SECTION = "international-transfers"
TRANSLATED_FROM_RELEASE = "2025-03-01"  # the English text the stale section's German translates
# What a translation must carry over unchanged: e-mail addresses, link targets, bold markers, names.
NAMES = ("GPT Image 2", "Stripe", "policyforge")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


def documents() -> dict[str, ProjectOptions]:
    options = read_project(ROOT / "mkdocs.yml")
    assert options.translations == ("de",)  # the example publishes its German translations
    return {doc.document or "": doc for doc in project_documents(options)}


def german(doc: ProjectOptions) -> tuple[Policy, Translation]:
    policy = load_policy(doc.policy_file)
    found, errors, warnings = translation_problems(doc, policy)
    assert not errors and not warnings, [str(p) for p in (*errors, *warnings)]
    return policy, found["de"]


def keep(text: str) -> Counter[str]:
    """The parts of a text a translation must keep as they are, with their counts."""
    found: Counter[str] = Counter(f"email:{m}" for m in EMAIL.findall(text))
    found.update(f"link:{m}" for m in LINK_TARGET.findall(text))
    found.update({f"name:{n}": text.count(n) for n in NAMES if n in text})
    found.update({"bold": text.count("**")} if "**" in text else {})
    return found


def _item_texts(items: tuple[TermItem | str, ...]) -> Iterator[str]:
    for item in items:
        yield from (item.term, item.text) if isinstance(item, TermItem) else (item,)


def section_texts(section: Section) -> list[str]:
    return [t for t in (section.title, section.text, *_item_texts(section.items), section.after) if t]


def category_texts(category: ConsentCategory) -> list[str]:
    return [category.title, category.description, *(c.purpose for c in category.cookies)]


def document_texts(policy: Policy) -> list[str]:
    return [t for t in (policy.title, policy.preamble, *policy.quick_reference, policy.closing) if t]


def test_every_section_category_and_text_of_the_example_is_translated_into_german() -> None:
    for doc in documents().values():
        policy, translation = german(doc)
        ids = [ns.section.id for ns in numbered_sections(policy.sections)]
        assert list(translation.sections) == ids  # every section and subsection, in the original's order
        categories = policy.consent.categories if policy.consent else ()
        assert sorted(translation.categories) == sorted(c.id for c in categories)
        assert translation.document is not None
        if policy.consent:  # the banner texts the original sets are translated (the rest are built-in German)
            assert set(translation.banner) == set(policy.consent.banner.model_fields_set)
        result = translate_policy(policy, translation)
        assert not result.missing()
        for state in result.states.values():  # every part shows German: no English left on a German page
            assert state.translated_from is not None and state.line > 0


def _stale(result: Translated) -> list[str]:
    return [s.key for s in result.stale()]


def test_exactly_the_intended_section_is_stale_and_its_mark_is_the_older_english() -> None:
    docs = documents()
    policy, translation = german(docs["privacy"])
    result = translate_policy(policy, translation)
    assert _stale(result) == [STALE_SECTION]
    assert result.states[DOCUMENT_KEY].status == "current"
    assert all(result.states[category_key(c)].status == "current" for c in translation.categories)
    history = load_history(docs["privacy"])  # hash-verified: the mark points at released English text
    older = history.get(TRANSLATED_FROM_RELEASE).policy
    old_section = next(ns.section for ns in numbered_sections(older.sections) if ns.section.id == STALE_SECTION)
    assert translation.sections[STALE_SECTION].translated_from == fingerprint_section(old_section)
    assert result.states[STALE_SECTION].fingerprint != fingerprint_section(old_section)
    # Against the release it was translated from, the same German section is current.
    assert translate_policy(older, translation).states[STALE_SECTION].status == "current"
    # The newest release (in effect since 2025-09-01) has the new English: stale there too.
    newest = history.newest
    assert newest is not None and _stale(translate_policy(newest.policy, translation)) == [STALE_SECTION]


def test_the_sample_terms_translation_is_current_throughout() -> None:
    policy, translation = german(documents()["terms"])
    result = translate_policy(policy, translation)
    assert {s.status for s in result.states.values()} == {"current"}


def _pairs(policy: Policy, translated: Policy, stale_from: Policy | None) -> Iterator[tuple[str, str, str]]:
    """(part, original texts, translated texts) for every part, the stale section against its older English."""
    yield "document", " ".join(document_texts(policy)), " ".join(document_texts(translated))
    old = {ns.section.id: ns.section for ns in numbered_sections(stale_from.sections)} if stale_from else {}
    pairs = zip(numbered_sections(policy.sections), numbered_sections(translated.sections), strict=True)
    for ns, ts in pairs:
        source = old[ns.section.id] if ns.section.id == STALE_SECTION and old else ns.section
        yield ns.section.id, " ".join(section_texts(source)), " ".join(section_texts(ts.section))
    if policy.consent and translated.consent:
        for cat, tcat in zip(policy.consent.categories, translated.consent.categories, strict=True):
            yield f"category {cat.id}", " ".join(category_texts(cat)), " ".join(category_texts(tcat))


@pytest.mark.parametrize("document", ["privacy", "terms"])
def test_translation_keeps_addresses_links_markup_and_names(document: str) -> None:
    doc = documents()[document]
    policy, translation = german(doc)
    stale_from = load_history(doc).get(TRANSLATED_FROM_RELEASE).policy if document == "privacy" else None
    translated = translate_policy(policy, translation).policy
    checked: Counter[str] = Counter()
    for part, english, german_text in _pairs(policy, translated, stale_from):
        assert english != german_text, f"{part}: not translated"
        assert keep(german_text) == keep(english), part
        checked.update(keep(english))
    assert checked["email:contact@gptimage2ai.com"] >= 1 and checked["name:GPT Image 2"] >= 2
    if document == "terms":
        assert checked["link:doc:privacy#introduction"] == 1 and checked["bold"] == 2


def test_keep_notices_a_lost_address_link_or_name() -> None:
    english = "Ask **us** at contact@gptimage2ai.com about [GPT Image 2](doc:privacy#intro) and Stripe."
    assert keep(english) == keep(
        "Fragen Sie **uns** unter contact@gptimage2ai.com zu [GPT Image 2](doc:privacy#intro) und Stripe."
    )
    for lost, wrong in (
        ("contact@gptimage2ai.com", "kontakt@gptimage2ai.de"),
        ("#intro)", "#einleitung)"),
        ("Stripe", "einen Zahlungsdienstleister"),
        ("**us**", "uns"),
        ("GPT Image 2", "GPT-Image 2"),
    ):
        assert keep(english.replace(lost, wrong)) != keep(english), lost

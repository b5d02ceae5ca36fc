"""The shipped example says exactly what the original policy says, word for word."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from policyforge.site.policy_page import render_text
from policyforge.source.loader import load_policy

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed" / "gpt-image-2-privacy-policy.txt"


def words(text: str) -> list[str]:
    """Normalise only whitespace, numbering punctuation and bullet markers."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*•]\s+", "", line)  # bullet markers
        line = re.sub(r"^(\d+(?:\.\d+)*)\.?(?=\s)", r"\1", line)  # "1." vs "1"
        out += line.split()
    return out


def seed_release() -> Path:
    versions = ROOT / "policy_source" / "versions"
    first = sorted(versions.glob("????-??-??.yaml"))
    return first[0] if first else ROOT / "policy_source" / "policy.yaml"


def test_first_release_is_the_seed_word_for_word() -> None:
    policy = load_policy(seed_release())
    ours, seed = words(render_text(policy)), words(SEED.read_text(encoding="utf-8"))
    diff = [d for d in difflib.unified_diff(seed, ours, "seed", "ours", lineterm="", n=2)]
    assert not diff, "\n".join(diff[:60])
    assert len(ours) == len(seed) > 700


def test_normalisation_does_not_hide_changed_words() -> None:
    seed = SEED.read_text(encoding="utf-8")
    assert words(seed) != words(seed.replace("Stripe—we", "Stripe—they"))
    assert words(seed) != words(seed.replace("2.4 Cookies", "2.5 Cookies"))


def test_cookie_section_is_rendered_from_consent_categories() -> None:
    policy = load_policy(seed_release())
    cookies = next(s for top in policy.sections for s in top.sections if s.id == "cookies")
    assert cookies.include == "consent-categories" and not cookies.items and not cookies.text
    text = render_text(policy)
    for cat in policy.consent.categories:
        assert f"- {cat.title}: {cat.description}" in text


def test_the_release_of_the_facts_keeps_every_word_of_the_text() -> None:
    """The release stating the facts (issue 23) adds their tables where sections include them and changes no
    word of the prose: its text is the previous release's, but for the dates the release sets."""
    versions = ROOT / "policy_source" / "versions"
    before, facts = load_policy(versions / "2025-09-01.yaml"), load_policy(versions / "2026-12-06.yaml")
    assert facts.effective is not None and facts.updated is not None
    dated = before.model_copy(update={"effective": facts.effective, "updated": facts.updated})
    assert render_text(facts) == render_text(dated)
    includes = {s.id: s.include for top in facts.sections for s in (top, *top.sections) if s.include}
    assert includes == {
        "cookies": "consent-categories",
        "how-we-use-your-information": "processing",
        "third-party-services": "recipients",
        "your-rights": "rights",
        "contact": "controller",
    }

"""References that cannot rot: ``[](#id)`` reads as the section's current number; a literal "section 3" whose
section moved since the newest release is a warning at its line (``stale-section-number``)."""

from __future__ import annotations

from pathlib import Path

from policyforge.site.policy_page import body_context, render_text
from policyforge.site.strings import page_language
from policyforge.site.templating import render
from policyforge.source.lint import lint_file
from policyforge.source.loader import load_policy
from policyforge.source.markdown_text import md_to_html
from policyforge.source.model import Policy
from policyforge.source.numbering import numbered_sections, yaml_section_numbers
from policyforge.source.yaml_reader import read_yaml
from tests.conftest import FIXTURES

CASE = FIXTURES / "lint-stale-section-number" / "policy_source"


def _draft() -> Policy:
    return load_policy(CASE / "policy.yaml")


def _released() -> tuple[str, dict[str, str]]:
    data = read_yaml(CASE / "versions" / "2025-03-01.yaml").data
    assert isinstance(data, dict)
    return "2025-03-01", yaml_section_numbers(data["sections"])


def test_a_release_s_numbers_are_read_from_its_yaml() -> None:
    numbers = yaml_section_numbers([{"id": "a"}, {"id": "b", "sections": [{"id": "b1"}, {"id": "b2"}]}, {"id": "c"}])
    assert numbers == {"1": "a", "2": "b", "2.1": "b1", "2.2": "b2", "3": "c"}
    policy = _draft()
    assert yaml_section_numbers(read_yaml(CASE / "policy.yaml").data["sections"]) == {  # type: ignore[index]
        ns.number: ns.section.id for ns in numbered_sections(policy.sections)
    }


def test_an_empty_link_to_a_section_reads_as_its_number() -> None:
    refs = {"sharing": "section 4", "rights": "section 2.1"}
    assert md_to_html("See [](#sharing) and [](#rights).", inline=True, refs=refs) == (
        'See <a href="#sharing">section 4</a> and <a href="#rights">section 2.1</a>.'
    )
    # a link with its own words keeps them; an unknown target stays as written (broken-anchor reports it)
    assert md_to_html("[our partners](#sharing) [](#nowhere)", inline=True, refs=refs) == (
        '<a href="#sharing">our partners</a> <a href="#nowhere"></a>'
    )


def test_the_policy_page_numbers_references_in_the_page_language() -> None:
    draft = _draft()
    english = render("policy/body.md", **body_context(draft))
    assert 'By id the number stays right: <a href="#sharing">section 4</a>.' in english
    with page_language("de"):
        german = render("policy/body.md", **body_context(draft))
    assert '<a href="#sharing">Abschnitt 4</a>' in german
    assert "By id the number stays right: section 4." in render_text(draft)


def test_a_literal_number_whose_section_moved_is_a_warning_at_its_line() -> None:
    findings = lint_file(CASE / "policy.yaml", _draft(), display="policy.yaml", released=_released())
    assert [(f.line, f.rule, f.severity) for f in findings] == [
        (14, "stale-section-number", "warning"),
        (14, "stale-section-number", "warning"),
    ]
    assert findings[1].message == (
        "'section 3': in the release 2025-03-01 that number was #sharing, which is now section 4; "
        "write [](#sharing) so the reference shows the section's current number"
    )
    line = (CASE / "policy.yaml").read_text(encoding="utf-8").splitlines()[13]
    assert "section 3" in line and "Section 4" in line
    # "section 2" still names #data, and nothing is compared without a release
    assert not [f for f in findings if "section 2" in f.message]
    assert lint_file(CASE / "policy.yaml", _draft(), display="policy.yaml") == []


def test_a_number_whose_section_was_removed_is_reported(tmp_path: Path) -> None:
    text = (CASE / "policy.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: contact\n    title: Contact\n    text: Write to privacy@tiny.example.\n", "")
    text = text.replace("Sharing is in section 3, and you can reach us as Section 4 says.", "See section 4.")
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    findings = lint_file(path, load_policy(path), display="policy.yaml", released=_released())
    assert [f.message for f in findings] == [
        "'section 4': in the release 2025-03-01 that number was #contact, which is no longer in the draft; "
        "write [](#contact) so the reference shows the section's current number"
    ]

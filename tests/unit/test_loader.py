"""Where the loader puts a validation problem: pydantic's documented error ``loc``, never its internal tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from policyforge.errors import SourceError
from policyforge.source.loader import load_policy
from policyforge.source.model import ITEM_TAGS, Section
from tests.conftest import FIXTURES

ITEMS = """        items:
          - {term: Email, text: Used to sign you in}
"""


def broken(tmp_path: Path, items: str) -> list[str]:
    text = (FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    assert ITEMS in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(ITEMS, "        items:\n" + items), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_policy(path, display="policy.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_bullets_error_loc_carries_the_declared_tag_of_its_form() -> None:
    """A bullet is a tagged union: only the form the value has is validated, and its tag is ours."""
    with pytest.raises(ValidationError) as caught:
        Section(id="a", title="A", items=({"term": ""}, 5))  # type: ignore[arg-type]
    locs = [err["loc"] for err in caught.value.errors()]
    assert ("items", 0, ITEM_TAGS[0], "term") in locs and ("items", 0, ITEM_TAGS[0], "text") in locs
    assert ("items", 1, ITEM_TAGS[1]) in locs
    assert len(locs) == 3  # no error of the form the value does not have


def test_problems_name_the_field_and_line_of_the_bullet(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, "          - {term: '', text: Fine}\n          - {term: A, text: B, note: C}\n          - 5\n"
    )
    assert problems == [
        "policy.yaml:20: sections[1].sections[0].items[0].term: must not be empty",
        "policy.yaml:21: sections[1].sections[0].items[1].note: unknown key 'note'",
        "policy.yaml:22: sections[1].sections[0].items[2]: Input should be a valid string",
    ]

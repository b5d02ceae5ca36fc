"""The content model: the constructs of real policies in the YAML model, with file:line errors."""

from __future__ import annotations

from pathlib import Path

from policyforge.source.loader import check_policy_file
from policyforge.source.model import Policy
from tests.conftest import FIXTURES

TINY = (FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")


def problems(tmp_path: Path, sections: str, head: str = "") -> list[str]:
    before, after = TINY.split("sections:\n", 1)
    rest = after[after.index("\nconsent:") :]
    path = tmp_path / "policy.yaml"
    path.write_text(before + head + "sections:\n" + sections + rest, encoding="utf-8")
    _, found = check_policy_file(path, display="policy.yaml")
    return [str(p) for p in found]


def line_of(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "policy.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_a_heading_in_body_text_is_an_error_with_a_hint(tmp_path: Path) -> None:
    found = problems(
        tmp_path, "  - id: a\n    title: A\n    text: |\n      Intro.\n\n      ## Retention\n\n      We keep data.\n"
    )
    line = line_of(tmp_path, "## Retention")
    assert len(found) == 1 and found[0].startswith(f"policy.yaml:{line}: ")
    assert "a heading ('## Retention') inside body text is not allowed: make it a section of its own" in found[0]


def test_an_underlined_heading_is_caught_too(tmp_path: Path) -> None:
    found = problems(tmp_path, '  - id: a\n    title: A\n    text: "Retention\\n---------\\nWe keep data."\n')
    assert len(found) == 1 and "inside body text is not allowed" in found[0]


def test_table_rows_must_have_one_cell_per_column(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "  - id: a\n    title: A\n    table:\n      columns: [Data, Purpose]\n"
        "      rows:\n        - [Name, Support]\n        - [Email]\n",
    )
    line = line_of(tmp_path, "rows:")
    assert found == [
        f"policy.yaml:{line}: sections[0].table.rows: row 2 has 1 cells but the table has 2 "
        'columns; write one cell per column (an empty cell is "")'
    ]


def test_table_cells_may_be_numbers_and_markdown(tmp_path: Path) -> None:
    assert (
        problems(
            tmp_path,
            "  - id: a\n    title: A\n    table:\n      caption: Retention\n"
            "      columns: [Data, Months]\n      rows:\n        - ['**Logs**', 12]\n",
        )
        == []
    )


def test_raw_html_in_a_cell_or_title_is_refused(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "  - id: a\n    title: A <b>bold</b>\n    table:\n      columns: [X]\n      rows:\n        - ['<i>x</i>']\n",
    )
    assert len(found) == 2 and all("raw HTML" in p for p in found)


def test_preamble_and_inline_markdown_title_validate() -> None:
    policy = Policy.model_validate(
        {
            "title": "P",
            "product": "X",
            "controller": {"name": "X", "email": "a@b.example"},
            "preamble": "This statement explains *how* we work.",
            "sections": [{"id": "a", "title": "The `id` *field*", "text": "Body."}],
            "consent": {"categories": [{"id": "e", "title": "E", "description": "D", "required": True}]},
        }
    )
    assert policy.preamble and policy.sections[0].title == "The `id` *field*"

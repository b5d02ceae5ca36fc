"""Errors point at the cause: unclosed quotes and brackets at their opening line, plain words first.

The exact messages of each case are in tests/fixtures/errors/<case>/expected.txt (checked by
test_errors.py); these tests check the rules behind them on real input.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policyforge.cli.main import main
from policyforge.source.loader import check_policy_file
from tests.conftest import FIXTURES, ROOT

EXAMPLE = (ROOT / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
QUOTED = [n for n, line in enumerate(EXAMPLE.splitlines(), 1) if line.rstrip().endswith(('"', '"}'))]


def problems_of(text: str, tmp_path: Path) -> list[str]:
    source = tmp_path / "policy.yaml"
    source.write_text(text, encoding="utf-8")
    return [str(p) for p in check_policy_file(source, display="policy.yaml")[1]]


@pytest.mark.parametrize("number", QUOTED)
def test_missing_closing_quote_is_reported_where_the_quote_opens(number: int, tmp_path: Path) -> None:
    lines = EXAMPLE.splitlines(keepends=True)
    line = lines[number - 1]
    cut = line.rindex('"')
    lines[number - 1] = line[:cut] + line[cut + 1 :]
    found = problems_of("".join(lines), tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f'policy.yaml:{number}: the quote " opened at column '), found[0]
    assert 'add the closing "' in found[0]


def test_unclosed_quote_fixture_names_the_opening_line() -> None:
    expected = (FIXTURES / "errors" / "unclosed-quote" / "expected.txt").read_text(encoding="utf-8")
    source = (FIXTURES / "errors" / "unclosed-quote" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    opening = next(n for n, line in enumerate(source.splitlines(), 1) if line.count('"') == 1)
    assert expected.startswith(f'policy_source/policy.yaml:{opening}: the quote " opened at column 11')


BROKEN = {
    "tab": "title: T\ncontroller:\n\tname: X\n",
    "colon": "title: T\nclosing: Questions: ask us\n",
    "indent": "title: T\ncontroller:\n  name: X\n email: a@b.example\n",
    "at": "title: @home\n",
    "star": "title: *bold*\n",
    "after-quote": 'title: "T" and more\n',
    "lost-key": "title: T\nproduct: P\nsome text without a key\nmore: x\n",
    "flow": "title: T\nitems: [a, b\n",
    "open-quote-at-end": 'title: "T\n',
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_parser_jargon_never_comes_without_a_plain_sentence(text: str, tmp_path: Path) -> None:
    (message,) = problems_of(text, tmp_path)
    plain = message.split(": ", 1)[1]
    assert not re.match(r"(while |expected |found |mapping values|could not|did not)", plain), message
    assert "(" in plain and "YAML parser" in plain.split("(", 1)[1], message  # the jargon comes last, in brackets
    assert "<" not in plain.split("(", 1)[0], message  # no <block end> or <scalar> in the sentence


def test_colon_in_a_bullet_of_the_example_gets_one_problem_with_both_fixes(tmp_path: Path) -> None:
    text = EXAMPLE.replace(
        "      - Send product tips or marketing emails if you opt in",
        "      - Opt-in: you can ask for product tips by email",
    )
    assert text != EXAMPLE
    (message,) = problems_of(text, tmp_path)
    assert message.endswith(
        "this bullet was read as a key 'Opt-in' with a value, because its text contains ': ': "
        'put the whole bullet in quotes (- "Opt-in: you can ask for product tips by email") '
        "or write it as a term and its text ({term: Opt-in, text: you can ask for product tips "
        "by email})"
    )


def test_section_that_changed_level_is_a_warning_naming_both_places() -> None:
    case = FIXTURES / "errors" / "section-level-changed"
    result = CliRunner().invoke(main, ["check", "-f", str(case / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "policy_source/policy.yaml:18: warning: section 'usage' is now a top-level section, but in the release "
        "2024-06-01 it is a subsection of 'data' (policy_source/versions/2024-06-01.yaml:18); if you did not mean "
        "to move it, check its indentation"
    )
    assert (
        "warning: section"
        not in CliRunner().invoke(main, ["check", "-f", str(FIXTURES / "history-basic" / "mkdocs.yml")]).stderr
    )


def test_a_quote_or_bracket_that_spans_lines_legitimately_is_not_blamed(tmp_path: Path) -> None:
    text = (
        'title: T\nitems:\n  - {term: A,\n     text: B}\n  - "a long text that goes on\n    to the next line"\n'
        "  - c\nproduct: P\ncontroller:\n  name: X\n email: y@example.org\n"
    )
    (message,) = problems_of(text, tmp_path)
    assert message.startswith("policy.yaml:11: a new key appears where YAML expected"), message

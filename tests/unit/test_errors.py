"""Every broken fixture prints every problem with file and line, exits 2 and builds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import SourceError
from policyforge.source.loader import check_policy_file, load_policy
from tests.conftest import invoke

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BROKEN = sorted(p for p in (FIXTURES / "errors").iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_check_reports_every_problem(case: Path) -> None:
    result = invoke(main, ["check", "-f", str(case / "mkdocs.yml")])
    assert result.exit_code == 2
    assert result.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    for line in result.stderr.splitlines()[:-2]:
        assert line.startswith("policy_source/policy.yaml:"), line


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_build_writes_nothing(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = invoke(main, ["build", "-f", str(case / "mkdocs.yml"), "--site-dir", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2].startswith("ERROR: ")
    assert "nothing was built" in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_all_problems_in_one_run() -> None:
    with pytest.raises(SourceError) as info:
        load_policy(FIXTURES / "errors" / "several-problems" / "policy_source" / "policy.yaml")
    assert len(info.value.problems) == 5
    assert [p.line for p in info.value.problems] == sorted(p.line for p in info.value.problems)


def test_allow_html_option_accepts_raw_html() -> None:
    policy_file = FIXTURES / "errors" / "allow-html" / "policy_source" / "policy.yaml"
    assert check_policy_file(policy_file)[0] is None
    policy, problems = check_policy_file(policy_file, allow_html=True)
    assert policy is not None and problems == []
    result = invoke(main, ["check", "-f", str(FIXTURES / "errors" / "allow-html" / "mkdocs.yml")])
    assert result.exit_code == 0, result.output


def test_python_tag_builds_no_object(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    source = tmp_path / "policy.yaml"
    base = (FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    source.write_text(
        base.replace("closing: Thank you.", f"closing: !!python/object/apply:os.system ['touch {marker}']")
    )
    policy, problems = check_policy_file(source)
    assert policy is None and "unsupported YAML tag" in problems[0].message
    assert not marker.exists()


def test_alias_bomb_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    source = tmp_path / "policy.yaml"
    source.write_text("\n".join(lines) + "\n")
    policy, problems = check_policy_file(source)
    assert policy is None
    assert any("too large" in p.message for p in problems)


def test_invalid_utf8_reports_line(tmp_path: Path) -> None:
    source = tmp_path / "policy.yaml"
    source.write_bytes(b"title: Privacy\nproduct: \xff\xfe\n")
    policy, problems = check_policy_file(source)
    assert policy is None and problems[0].line == 2 and "UTF-8" in problems[0].message


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "policy.yaml"
    base = (FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    source.write_text(base + "closing: Again.\n")
    _, problems = check_policy_file(source)
    assert any(p.message.startswith("duplicate key 'closing'") and p.line == base.count("\n") + 1 for p in problems)


def test_example_policy_is_valid() -> None:
    result = invoke(main, ["check", "-f", str(FIXTURES.parents[1] / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: policy_source/policy.yaml is valid")

"""YAML means what the editor wrote: core-schema scalars (YAML 1.2), a size limit, linear parsing."""

from __future__ import annotations

from pathlib import Path

from policyforge.source.loader import check_policy_file
from policyforge.source.yaml_reader import MAX_FILE_BYTES, MAX_NODES, read_yaml
from tests.conftest import FIXTURES

TINY = (FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml11_booleans_and_base60_are_strings(tmp_path: Path) -> None:
    doc = read_yaml(
        write(
            tmp_path,
            "country: NO\na: off\nb: yes\nc: On\nd: 1:59\ne: 1:59:59\nf: true\n"
            "g: FALSE\nh: 012\ni: 0x1f\nj: 2025-03-01\nk: ~\nl: 1_000\nm: -2.5e3\n",
        )
    )
    assert doc.problems == []
    assert doc.data["country"] == "NO"
    assert [doc.data[k] for k in "abcde"] == ["off", "yes", "On", "1:59", "1:59:59"]
    assert doc.data["f"] is True and doc.data["g"] is False
    assert doc.data["h"] == 12 and doc.data["i"] == 31 and doc.data["l"] == "1_000" and doc.data["m"] == -2500.0
    assert str(doc.data["j"]) == "2025-03-01" and doc.data["k"] is None


def test_no_kept_as_text_where_a_string_is_expected(tmp_path: Path) -> None:
    text = TINY.replace("product: Tiny App", "product: NO").replace("name: Tiny App Ltd", "name: off")
    policy, problems = check_policy_file(write(tmp_path, text), display="policy.yaml")
    assert problems == [] and policy is not None
    assert policy.product == "NO" and policy.controller.name == "off"


def test_yes_for_a_boolean_field_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    text = TINY.replace("required: true", "required: yes")
    policy, problems = check_policy_file(write(tmp_path, text), display="policy.yaml")
    assert policy is None
    assert [str(p) for p in problems] == [
        "policy.yaml:30: consent.categories[0].required: 'yes' is text, not a boolean: write true or false "
        "(did you mean true?)"
    ]
    text = TINY.replace("required: true", "required: off")
    _, problems = check_policy_file(write(tmp_path, text), display="policy.yaml")
    assert "(did you mean false?)" in str(problems[0])


def test_explicit_int_tag_on_base60_is_a_problem_not_a_number(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: !!int 1:59:59\nb: !!bool yes\nc: !!int " + "9" * 5000 + "\n"))
    assert sorted(p.path for p in doc.problems) == ["a", "b", "c"]


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"title: " + b"x" * MAX_FILE_BYTES + b"\n")
    policy, problems = check_policy_file(path, display="policy.yaml")
    assert policy is None
    assert len(problems) == 1 and "larger than 2 MB" in problems[0].message


def test_one_megabyte_of_base60_looking_values_is_read_as_text(tmp_path: Path) -> None:
    """The 960 KB base-60 reproduction: now plain strings (no quadratic number construction).

    The timing itself lives in `make bench` (bench/bench_yaml.py); here the structure is checked.
    """
    line = "k{}: " + ":".join(["1", *["59"] * 40]) + "\n"
    body = "".join(line.format(i) for i in range(8000))
    assert len(body) > 900_000
    doc = read_yaml(write(tmp_path, body))
    assert doc.problems == [] and len(doc.data) == 8000
    assert all(isinstance(v, str) for v in doc.data.values())
    long_one = read_yaml(write(tmp_path, "a: " + ":".join(["1", *["59"] * 300_000]) + "\n"))
    assert long_one.problems == [] and isinstance(long_one.data["a"], str)


def test_node_budget_still_applies(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "- 1\n" * (MAX_NODES + 10)))
    assert doc.data is None and "too large" in doc.problems[0].message


def test_mkdocs_yml_boolean_options_must_be_booleans(tmp_path: Path) -> None:
    from policyforge.errors import BuildError
    from policyforge.source.options import read_project

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - policyforge:\n      draft: 'no'\n", encoding="utf-8")
    try:
        read_project(config)
    except BuildError as exc:
        assert "option `draft`: expected true or false, got the quoted text 'no'" in str(exc)
    else:
        raise AssertionError("a quoted 'no' must not be read as a true flag")
    config.write_text("site_name: x\nplugins:\n  - policyforge:\n      draft: false\n", encoding="utf-8")
    assert read_project(config).draft is False

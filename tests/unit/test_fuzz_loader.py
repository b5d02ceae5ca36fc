"""Fuzzing the loader: any input ends as a valid policy or as file:line problems, quickly.

Never a traceback, never an object built from a YAML tag, never more than 5 s per case.
The number of cases is set by the ``@settings`` below (see the closing summary in the README).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyforge.errors import Problem
from policyforge.source.loader import check_policy_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TEXT = (ROOT / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
EXAMPLE = yaml.safe_load(EXAMPLE_TEXT)
LOCATED = re.compile(r"^policy\.yaml:\d+: ")
# No deadline: speed is measured by make bench, not asserted here (a loaded machine is not a bug).
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40), st.dates()
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=40,
)


def check_text(tmp: Path, data: bytes) -> tuple[object, list[Problem]]:
    path = tmp / "policy.yaml"
    path.write_bytes(data)
    policy, problems = check_policy_file(path, display="policy.yaml")
    if policy is None:
        assert problems, "an invalid policy must come with problems"
    for problem in problems:
        assert LOCATED.match(str(problem)), str(problem)
    return policy, problems


@FUZZ
@given(doc=documents)
def test_random_documents(tmp_path: Path, doc: Any) -> None:
    check_text(tmp_path, yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


ALL_PATHS = paths(EXAMPLE)
REPLACEMENTS = st.one_of(
    scalars,
    st.just([]),
    st.just({}),
    st.integers(1, 40).map(lambda n: "long " * 5000 * n),
    st.just({"nested": {"deeper": [[[[["x"]]]]]}}),
    st.just("<script>alert(1)</script>"),
    st.just("2025-02-30"),
    st.just("not-an-email"),
)


@FUZZ
@given(path=st.sampled_from(ALL_PATHS), replacement=REPLACEMENTS, delete=st.booleans())
def test_mutations_of_the_example(tmp_path: Path, path: tuple[Any, ...], replacement: Any, delete: bool) -> None:
    doc = copy.deepcopy(EXAMPLE)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    check_text(tmp_path, yaml.safe_dump(doc, allow_unicode=True, default_flow_style=False).encode("utf-8"))


@FUZZ
@given(position=st.integers(0, len(EXAMPLE_TEXT.encode("utf-8"))), junk=st.binary(min_size=1, max_size=8))
def test_byte_level_corruption(tmp_path: Path, position: int, junk: bytes) -> None:
    raw = EXAMPLE_TEXT.encode("utf-8")
    check_text(tmp_path, raw[:position] + junk + raw[position:])


@FUZZ
@given(
    tag=st.sampled_from(
        [
            "!!python/object/apply:os.system ['touch {m}']",
            "!!python/name:os.system",
            "!!python/object/new:subprocess.Popen [['touch', '{m}']]",
            "!!binary aGVsbG8=",
            "!!set {a: null}",
            "!custom {m}",
        ]
    ),
    path=st.sampled_from([p for p in ALL_PATHS if isinstance(p[-1], str)]),
)
def test_tags_never_build_objects(tmp_path: Path, tag: str, path: tuple[Any, ...]) -> None:
    marker = tmp_path / "pwned"
    key = path[-1]
    text = EXAMPLE_TEXT
    pattern = re.compile(rf"^(\s*(?:- )?{re.escape(str(key))}:)(.*)$", re.MULTILINE)
    text = pattern.sub(lambda m: f"{m.group(1)} {tag.replace('{m}', str(marker))}", text, count=1)
    policy, problems = check_text(tmp_path, text.encode("utf-8"))
    assert policy is None
    assert any("tag" in p.message or "YAML" in p.message for p in problems)
    assert not marker.exists()


def test_deep_nesting_and_alias_bomb(tmp_path: Path) -> None:
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    _, problems = check_text(tmp_path, deep.encode())
    assert problems
    bomb = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    _, problems = check_text(tmp_path, ("\n".join(bomb) + "\n").encode())
    assert any("too large" in p.message for p in problems)

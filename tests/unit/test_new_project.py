"""`policyforge new`: the files it writes, without building a site (tests/site/test_new_project.py builds one)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
import yaml

from policyforge.cli.main import main
from policyforge.errors import BuildError
from policyforge.mkdocs_plugin.scaffold import NewProject, new_project
from policyforge.source.lint import PLACEHOLDER_RULE, lint_file
from policyforge.source.loader import load_policy
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[2]
SKELETON = ROOT / "policyforge" / "mkdocs_plugin" / "skeleton"


def test_a_product_name_with_yaml_syntax_in_it_is_written_as_it_is(tmp_path: Path) -> None:
    product = 'Acme: "Cloud" #1 & co'
    new_project(tmp_path / "p", NewProject(product=product, language="de", country="fr"))
    policy_file = tmp_path / "p" / "policy_source" / "policy.yaml"
    policy = load_policy(policy_file)
    assert policy.product == product
    assert policy.controller.country == "FR" and policy.recipients[0].country == "FR"
    assert policy.processing[0].title == f"TODO: in de: Provide {product} to its users"  # English words flagged
    findings = lint_file(policy_file, policy)
    assert findings and {f.rule for f in findings} == {PLACEHOLDER_RULE}  # complete apart from the placeholders
    config = yaml.safe_load((tmp_path / "p" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == f"{product} Privacy Policy"
    assert config["theme"]["language"] == "de"
    assert config["plugins"][1] == {"policyforge": {"source": "policy_source", "language": "de"}}
    assert "nav" not in config and config["docs_dir"] == "docs"
    assert [p.name for p in (tmp_path / "p" / "docs").iterdir()] == [".gitkeep"]  # no page of its own


def test_new_refuses_a_language_or_a_country_it_cannot_write_and_writes_nothing(tmp_path: Path) -> None:
    result = invoke(main, ["new", str(tmp_path / "p"), "--language", "english please"])
    assert result.exit_code == 2
    assert "ERROR: policyforge option `language`" in result.stderr
    result = invoke(main, ["new", str(tmp_path / "p"), "--country", "Germany"])
    assert result.exit_code == 2
    assert result.stderr.startswith("ERROR: --country: 'Germany' is not a country code") and "'DE'" in result.stderr
    assert not (tmp_path / "p").exists()


def test_new_writes_into_an_empty_folder_but_never_over_a_file(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert [p.name for p in new_project(tmp_path / "empty")][:2] == ["mkdocs.yml", "policy.yaml"]
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="not an empty folder"):
        new_project(tmp_path / "file")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "mine"


def test_the_skeleton_ships_in_the_wheel() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = data["policyforge.mkdocs_plugin"]
    files = [p.relative_to(SKELETON.parent).as_posix() for p in SKELETON.iterdir()]
    assert sorted(files) == ["skeleton/mkdocs.yml", "skeleton/policy.yaml"]
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files)


def _placeholders(policy_file: Path) -> dict[int, str]:
    findings = lint_file(policy_file, load_policy(policy_file))
    return {f.line: f.message for f in findings if f.rule == PLACEHOLDER_RULE}


def test_a_skeleton_in_another_language_flags_its_english_words_and_the_default_country(tmp_path: Path) -> None:
    new_project(tmp_path / "de", NewProject(language="de"))
    policy_file = tmp_path / "de" / "policy_source" / "policy.yaml"
    policy = load_policy(policy_file)
    english = [policy.title, *(s.title for s in policy.sections), policy.processing[0].title]
    category = policy.require_consent().categories[0]
    english += [category.title, category.description, category.cookies[0].purpose]
    assert len(english) == 12 and all(text.startswith("TODO: in de: ") for text in english), english
    flagged = _placeholders(policy_file)
    lines = policy_file.read_text(encoding="utf-8").splitlines()
    for text in english:
        line = next(n for n, source in enumerate(lines, 1) if f'"{text}"' in source)
        assert flagged[line] == f"still a placeholder: {text}"
    assert policy.controller.country == policy.recipients[0].country == "DE"
    assert (policy.controller.address or "").startswith("TODO: its postal address, on one line; `country` below is DE")
    assert "`country` below is DE only because `policyforge new` was given no --country" in policy.recipients[0].purpose
    # In English, with a country given: the skeleton's words are the policy's, the country the editor's.
    new_project(tmp_path / "en", NewProject(language="en-GB", country="IE"))
    text = (tmp_path / "en" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    assert "TODO: in " not in text and "only because" not in text and "country: IE" in text
    assert "title: Introduction" in text or 'title: "Introduction"' in text

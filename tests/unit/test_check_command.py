"""What `policyforge check` prints for a valid policy: every section counted, with the right plural."""

from __future__ import annotations

from pathlib import Path

from policyforge.cli.main import main
from tests.conftest import ROOT, copy_project, invoke


def test_check_counts_nested_sections_and_uses_plurals(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT)
    result = invoke(main, ["check", "-f", str(config)])
    assert result.exit_code == 0, result.output
    # 12 top-level sections, 7 subsections in 2 of them: the example has 19 sections in all.
    assert "valid: 19 sections, " in result.output
    assert "consent categories, consent revision" in result.output


def test_check_singular(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT)
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = policy.read_text()
    head, _, tail = text.partition("\nsections:\n")
    keep = "\nsections:\n  - id: only\n    title: Only\n    include: consent-categories\n"
    policy.write_text(head + keep + "\nclosing:" + tail.split("\nclosing:", 1)[1])
    (tmp_path / "p" / "policy_source" / "versions.lock").unlink()
    for old in (tmp_path / "p" / "policy_source" / "versions").iterdir():
        old.unlink()
    for old in (tmp_path / "p" / "policy_source" / "translations").iterdir():  # translated the removed sections
        old.unlink()
    # --document: the example's sample terms link to sections this edit removes
    result = invoke(main, ["check", "-f", str(config), "--document", "privacy"])
    assert "valid: 1 section, " in result.output, result.output

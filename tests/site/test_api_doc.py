"""The Python API page (docs/api.md) is true: its example runs against the example project."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project


def example_code() -> str:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_documented_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POLICYFORGE_TODAY", "2026-12-15")  # every example release is in effect
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example_code(), "docs/api.md", "exec"), {})
    printed = out.getvalue()
    # the draft equals the 2026-12-06 release, the one in effect: no section differs
    assert "0 sections differ from the version of 2026-12-06" in printed
    assert re.search(r"consent revision of the draft: [0-9a-f]{12}\n", printed)
    assert "ERROR: " in printed and "does-not-exist.yaml" in printed
    assert (tmp_path / "site" / "index.html").is_file()
    assert f"built {tmp_path / 'site'}" in printed


def test_api_names_are_documented() -> None:
    import policyforge

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    functions = [n for n in policyforge.__all__ if n[0].islower()]
    assert [n for n in functions if f"`{n}(" not in text] == []

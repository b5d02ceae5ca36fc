"""`bench/run.py --strict` exits 1 on any FAIL line, whatever the benchmark's own exit code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"


def load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_bench(lines: list[str], code: int = 0) -> list[str]:
    """A benchmark command that prints ``lines`` and exits with ``code``."""
    return [sys.executable, "-c", f"import sys; print({chr(10).join(lines)!r}); sys.exit({code})"]


def test_fail_lines_are_counted_and_passed_through(capsys: pytest.CaptureFixture[str]) -> None:
    run = load_run()
    code, fails = run.run(
        "fake",
        fake_bench(
            [
                "PASS  our gz bytes <= 6000  5950 B",
                "FAIL  script ms <= 10  31 ms",
                "  FAIL  indented too",
                "no FAIL here",
            ]
        ),
    )
    assert (code, fails) == (0, 2)
    assert "FAIL  script ms <= 10  31 ms" in capsys.readouterr().out


def test_strict_verdict() -> None:
    run = load_run()
    assert run.verdict([(0, 0), (0, 1)], strict=False) == 0
    assert run.verdict([(0, 0), (0, 1)], strict=True) == 1
    assert run.verdict([(0, 0), (0, 0)], strict=True) == 0
    assert run.verdict([(0, 0), (2, 0)], strict=False) == 2
    assert run.verdict([(3, 1)], strict=True) == 3

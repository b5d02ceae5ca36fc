"""Benchmark of large values: ``check`` and ``build`` refuse a 200,000-character value in under 2 s.

Run from the repository root:  .venv/bin/python bench/bench_large_values.py

The example project (mkdocs.yml, policy_source/, terms_source/, docs/) is copied once per case with one
field given a 200,000-character value without spaces (the worst case for text scanning): a section text,
a section title, a list item, a table cell, a cookie's purpose, a category's description, a translated
section text. ``policyforge check`` and ``policyforge build`` run in-process (imports done beforehand, as
in a long-lived process; the first run of a command pays them) and must exit 2 with the size error. One
more row checks a value at the limit (20,000 characters, accepted) to show that reading it stays fast too.
Prints one table with PASS/FAIL against the 2 s target (CPU time: the machine may be shared); exit code 1
when a figure misses it or a command does not answer as expected.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.cli.main import main as cli  # noqa: E402
from policyforge.mkdocs_plugin import engine  # noqa: E402, F401  (imported as a build does, before the timing)
from policyforge.source import markdown_text  # noqa: E402

TARGET_S = 2.0
SIZE = 200_000
AT_LIMIT = 20_000


def _section_text(policy: str, translation: str, value: str) -> tuple[str, str]:
    start = policy.index("    text: >-\n      Welcome")
    end = policy.index("  - id: information-we-collect")
    return policy[:start] + f"    text: {value}\n\n" + policy[end:], translation


def _translated_text(policy: str, translation: str, value: str) -> tuple[str, str]:
    start = translation.index("    text: >-\n      Willkommen")
    end = translation.index("  information-we-collect:")
    return policy, translation[:start] + f"    text: {value}\n\n" + translation[end:]


def _table_cell(policy: str, translation: str, value: str) -> tuple[str, str]:
    table = (
        "  - id: retention-table\n    title: Retention\n    table:\n      columns: [Data, Kept]\n"
        f"      rows:\n        - [{value}, 30 days]\n"
    )
    anchor = "  - id: data-storage-and-security\n"
    return policy.replace(anchor, table + anchor, 1), translation


def _first(pattern: str) -> Callable[[str, str, str], tuple[str, str]]:
    """The first value of the key ``pattern`` matches (a regex up to the value) replaced."""

    def edit(policy: str, translation: str, value: str) -> tuple[str, str]:
        return re.sub(f"({pattern})(.*)", lambda m: m.group(1) + value, policy, count=1), translation

    return edit


CASES: dict[str, Callable[[str, str, str], tuple[str, str]]] = {
    "section text": _section_text,
    "section title": _first(r"\n    title: "),
    "list item": _first(r"\n          - (?=Generate)"),
    "table cell": _table_cell,
    "cookie purpose": _first(r"\n\s+purpose: "),
    "category description": _first(r"\n\s+description: "),
    "translated section text": _translated_text,
}


def project(folder: Path, case: str, size: int) -> Path:
    """A copy of the example project with the field of ``case`` given ``size`` characters; its mkdocs.yml."""
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("docs", "policy_source", "terms_source"):
        shutil.copytree(ROOT / name, folder / name)
    policy_file = folder / "policy_source" / "policy.yaml"
    translation_file = folder / "policy_source" / "translations" / "de.yaml"
    value = ("abcdefghij" * (size // 10 + 1))[:size]
    policy, translation = CASES[case](
        policy_file.read_text(encoding="utf-8"), translation_file.read_text(encoding="utf-8"), value
    )
    policy_file.write_text(policy, encoding="utf-8")
    translation_file.write_text(translation, encoding="utf-8")
    return folder / "mkdocs.yml"


def run(command: str, config: Path) -> tuple[int, str, float, float]:
    """Exit code, output, CPU and wall seconds of one in-process ``policyforge`` command (Markdown parsed afresh)."""
    markdown_text._parse_cached.cache_clear()
    started, cpu = time.perf_counter(), time.process_time()
    result = CliRunner().invoke(cli, [command, "-f", str(config)])
    return result.exit_code, result.output, time.process_time() - cpu, time.perf_counter() - started


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm"
        warm.mkdir()
        run("check", project(warm, "section text", 10))  # the first run pays the imports
        print(f"{'value':<40} {'command':<7} {'CPU s':>6} {'wall s':>7}  target (CPU time: the machine may be shared)")
        rows = [(case, SIZE, command) for case in CASES for command in ("check", "build")]
        rows.append(("section text", AT_LIMIT, "check"))  # accepted: read, parsed and linted
        for n, (case, size, command) in enumerate(rows):
            folder = Path(tmp) / f"case{n}"
            folder.mkdir()
            code, output, cpu, wall = run(command, project(folder, case, size))
            expected = (code == 2 and f"too long: {size:,} characters" in output) if size > AT_LIMIT else code == 0
            verdict = "PASS" if expected and cpu < TARGET_S else "FAIL"
            failed |= verdict == "FAIL"
            label = f"{case}, {size:,} chars"
            detail = "" if expected else f"  unexpected answer (exit {code}): {output.strip()[:200]}"
            print(f"{label:<40} {command:<7} {cpu:>6.3f} {wall:>7.3f}  < {TARGET_S:.0f} s {verdict}{detail}")
            shutil.rmtree(folder)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

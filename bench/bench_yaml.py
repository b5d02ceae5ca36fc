"""Benchmark of the YAML reader: a 1 MB policy is checked in under 1 s, and hostile scalars stay linear.

Run from the repository root:  .venv/bin/python bench/bench_yaml.py

Four inputs, each checked the way ``policyforge check`` reads a policy (YAML, model, lint):
a realistic 1 MB policy (many sections), 1 MB of ``1:59:59:...`` values (quadratic under YAML 1.1's
base-60 numbers), one 1 MB ``1:59:...`` scalar and a section text of one 1 MB word (quadratic under an
e-mail pattern that could start a match anywhere). Prints one table with PASS/FAIL against the
1 s target; exit code 1 when a figure misses it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.source.lint import lint_file  # noqa: E402
from policyforge.source.loader import check_policy_file  # noqa: E402

TARGET_S = 1.0
SIZE = 1_000_000


def realistic() -> str:
    head = (ROOT / "tests" / "fixtures" / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    before, after = head.split("sections:\n", 1)
    parts = [before, "sections:\n"]
    size, i = len(before), 0
    while size < SIZE:
        chunk = (
            f"  - id: section-{i}\n    title: Section {i} on data, no. {i}\n"
            f"    text: We process account data {i} to run the service; you may ask us to delete it.\n"
            f"    items:\n      - {{term: Purpose {i}, text: Running the service for you}}\n"
            f"      - Stored for 1:59 hours at most, then deleted.\n"
        )
        parts.append(chunk)
        size += len(chunk)
        i += 1
    parts.append(after)
    return "".join(parts)


def one_word() -> str:
    """A section whose text is one 1 MB word: quadratic under an e-mail pattern that may start anywhere."""
    head = (ROOT / "tests" / "fixtures" / "valid-tiny" / "policy_source" / "policy.yaml").read_text(encoding="utf-8")
    before, after = head.split("sections:\n", 1)
    return f"{before}sections:\n  - id: long-word\n    title: A long word\n    text: {'a' * SIZE}\n{after}"


def base60_values() -> str:
    line = "k{}: " + ":".join(["1", *["59"] * 40]) + "\n"
    return "".join(line.format(i) for i in range(SIZE // len(line.format(0)) + 1))


def base60_scalar() -> str:
    return "a: " + ":".join(["1", *["59"] * (SIZE // 3)]) + "\n"


def measure(text: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "policy.yaml"
        path.write_text(text, encoding="utf-8")
        started, cpu = time.perf_counter(), time.process_time()
        policy, _ = check_policy_file(path, display="policy.yaml")
        if policy is not None:
            lint_file(path, policy, display="policy.yaml")
        return path.stat().st_size, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    failed = 0
    print(f"{'input':<36} {'size':>8} {'CPU s':>6} {'wall s':>7}  target (CPU time: the machine may be shared)")
    for name, make in (
        ("realistic policy", realistic),
        ("1:59:59:... values (base-60 in 1.1)", base60_values),
        ("one 1 MB 1:59:... scalar", base60_scalar),
        ("one 1 MB word of policy text", one_word),
    ):
        size, wall, cpu = measure(make())
        verdict = "PASS" if cpu < TARGET_S else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{name:<36} {size / 1e6:>6.2f}MB {cpu:>6.3f} {wall:>7.3f}  < {TARGET_S:.0f} s {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the redline: how many words it marks against the minimal word-level edit.

Run from the repository root:  .venv/bin/python bench/bench_redline.py [--quick]

Diffs generated revisions of 5,000+ word policies (``bench/redline_corpus.py``: word edits, moves,
renames, link target changes, list and table edits) and prints, per case and in total, the words
of the policy, the minimal word-level edit, the words the redline marks, the overhead, whether
every changed word is marked, the changed link targets and renamed sections found, and the time.
Target: marked words at most 2% above the minimal edit, every change marked; exit code 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.redline_corpus import make_case, measure  # noqa: E402

MAX_OVERHEAD = 0.02


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 cases instead of 20.")
    args = parser.parse_args(argv)
    cases = 3 if args.quick else 20
    print(
        f"{'case':>4}  {'words':>6}  {'minimal':>7}  {'marked':>6}  {'overhead':>8}  {'complete':>8}  "
        f"{'links':>5}  {'renames':>7}  {'time':>6}"
    )
    totals = [0, 0, 0]
    ok = True
    for seed in range(cases):
        case = make_case(seed)
        started = time.perf_counter()
        r = measure(case)
        took = time.perf_counter() - started
        over = (r.marked - r.minimal) / r.minimal if r.minimal else 0.0
        ok &= r.complete and over <= MAX_OVERHEAD and r.links_found == r.links_expected
        ok &= r.renames_found == r.renames_expected
        totals = [totals[0] + r.words, totals[1] + r.minimal, totals[2] + r.marked]
        print(
            f"{seed:>4}  {r.words:>6}  {r.minimal:>7}  {r.marked:>6}  {over:>8.2%}  {r.complete!s:>8}  "
            f"{r.links_found}/{r.links_expected:<3}  {r.renames_found}/{r.renames_expected:<5}  {took:>5.2f}s"
        )
    words, minimal, marked = totals
    over = (marked - minimal) / minimal if minimal else 0.0
    verdict = "PASS" if ok else "FAIL"
    print(
        f"{verdict}: {cases} policies, {words} words, minimal edit {minimal} words, redline marks {marked} "
        f"({over:.2%} above; target ≤ {MAX_OVERHEAD:.0%}), every changed word and link target marked: {ok}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

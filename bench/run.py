"""Run the project's benchmarks and print their tables: `make bench`.

Run from anywhere, after ``policyforge build``:

    .venv/bin/python bench/run.py [--runs N] [--quick] [--strict] [--json PATH]

1. ``bench/banner_bench.py``: our consent banner against a static-HTML floor and three other banners
   in headless Chromium (``--runs``, ``--quick``, ``--strict`` and ``--json`` are passed on);
2. ``bench/bench_history.py``, if it exists: diff speed and build scaling of the version history
   (``--quick`` is passed on);
3. ``bench/bench_yaml.py``: a 1 MB policy and hostile base-60-looking scalars checked in under 1 s;
4. ``bench/bench_redline.py``: words the redline marks against the minimal word-level edit on generated
   5,000+ word policies (``--quick`` is passed on).

The exit code is the first non-zero exit code of the benchmarks run (``banner_bench.py`` exits 0 on
FAIL lines unless ``--strict``; ``bench_history.py``, ``bench_yaml.py`` and ``bench_redline.py`` exit 1 when a
target fails).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(title: str, command: list[str]) -> int:
    print(f"== {title} ==", flush=True)
    code = subprocess.run(command, cwd=ROOT).returncode
    if code:
        print(f"({title} exited with code {code})", flush=True)
    print(flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="Measured rounds of the banner benchmark (default 9).")
    parser.add_argument("--quick", action="store_true", help="Smoke test: fewer runs in every benchmark.")
    parser.add_argument("--strict", action="store_true", help="Make the banner benchmark exit 1 on a FAIL line.")
    parser.add_argument("--json", type=Path, help="Write the banner benchmark's figures to this file.")
    args = parser.parse_args(argv)

    banner = [sys.executable, str(HERE / "banner_bench.py")]
    if args.runs is not None:
        banner += ["--runs", str(args.runs)]
    if args.quick:
        banner.append("--quick")
    if args.strict:
        banner.append("--strict")
    if args.json:
        banner += ["--json", str(args.json.resolve())]
    codes = [run("consent banner benchmark", banner)]

    history = HERE / "bench_history.py"
    if history.is_file():
        codes.append(run("version history benchmark", [sys.executable, str(history),
                                                        *(["--quick"] if args.quick else [])]))
    else:
        print(f"(skipped: {history.relative_to(ROOT)} does not exist)")
    codes.append(run("YAML reader benchmark", [sys.executable, str(HERE / "bench_yaml.py")]))
    codes.append(run("redline benchmark", [sys.executable, str(HERE / "bench_redline.py"),
                                           *(["--quick"] if args.quick else [])]))
    codes.append(run("receipts service load test", [sys.executable, str(HERE / "bench_receipts.py"),
                                                     *(["--quick"] if args.quick else [])]))
    return next((c for c in codes if c), 0)


if __name__ == "__main__":
    raise SystemExit(main())

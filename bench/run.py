"""Run the project's benchmarks and print their tables: `make bench`.

Run from anywhere, after ``policyforge build``:

    .venv/bin/python bench/run.py [--runs N] [--quick] [--strict] [--json PATH]

1. ``bench/banner_bench.py``: our consent banner against a static-HTML floor and three other banners
   in headless Chromium (``--runs``, ``--quick``, ``--strict`` and ``--json`` are passed on);
2. ``bench/bench_history.py``, if it exists: diff speed and build scaling of the version history
   (``--quick`` is passed on);
3. ``bench/bench_yaml.py``: a 1 MB policy and hostile base-60-looking scalars checked in under 1 s;
   ``bench/bench_large_values.py``: ``check`` and ``build`` refuse a 200,000-character value (in each kind of
   field) in under 2 s;
4. ``bench/bench_scan.py``: ``policyforge scan`` ends within its deadlines on a looping page and a
   trickling ``gpc.json``;
5. ``bench/bench_redline.py``: words the redline marks against the minimal word-level edit on generated
   5,000+ word policies (``--quick`` is passed on).

The exit code is the first non-zero exit code of the benchmarks run (``banner_bench.py`` exits 0 on
FAIL lines unless ``--strict``; ``bench_history.py``, ``bench_yaml.py``, ``bench_large_values.py`` and
``bench_redline.py`` exit 1 when a target fails). With ``--strict`` (``make bench STRICT=1``) the exit code is 1
as soon as any benchmark printed a line starting with ``FAIL``, whatever its own exit code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def is_fail_line(line: str) -> bool:
    """A target that was missed: benchmarks print ``FAIL  <target>  <detail>``."""
    return line.lstrip().startswith("FAIL")


def run(title: str, command: list[str]) -> tuple[int, int]:
    """Run one benchmark, passing its output through; return its exit code and its number of FAIL lines."""
    print(f"== {title} ==", flush=True)
    fails = 0
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            fails += is_fail_line(line)
    code = proc.returncode
    if code:
        print(f"({title} exited with code {code})", flush=True)
    print(flush=True)
    return code, fails


def verdict(results: list[tuple[int, int]], *, strict: bool) -> int:
    """The exit code: the first non-zero one; with ``strict``, 1 when any FAIL line was printed."""
    code = next((c for c, _ in results if c), 0)
    fails = sum(f for _, f in results)
    if strict and fails:
        print(f"strict: {fails} FAIL line{'s' if fails != 1 else ''}", flush=True)
        return code or 1
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="Measured rounds of the banner benchmark (default 15).")
    parser.add_argument("--quick", action="store_true", help="Smoke test: fewer runs in every benchmark.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when any benchmark prints a FAIL line.")
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
    results = [run("consent banner benchmark", banner)]

    history = HERE / "bench_history.py"
    if history.is_file():
        results.append(
            run("version history benchmark", [sys.executable, str(history), *(["--quick"] if args.quick else [])])
        )
    else:
        print(f"(skipped: {history.relative_to(ROOT)} does not exist)")
    results.append(run("YAML reader benchmark", [sys.executable, str(HERE / "bench_yaml.py")]))
    results.append(run("large values benchmark", [sys.executable, str(HERE / "bench_large_values.py")]))
    results.append(
        run("redline benchmark", [sys.executable, str(HERE / "bench_redline.py"), *(["--quick"] if args.quick else [])])
    )
    results.append(run("scan deadlines benchmark", [sys.executable, str(HERE / "bench_scan.py")]))
    results.append(
        run(
            "receipts service load test",
            [sys.executable, str(HERE / "bench_receipts.py"), *(["--quick"] if args.quick else [])],
        )
    )
    return verdict(results, strict=args.strict)


if __name__ == "__main__":
    raise SystemExit(main())

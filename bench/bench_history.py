"""Benchmark of the version history: diff speed, builds with many releases, build overhead.

Run from the repository root:  .venv/bin/python bench/bench_history.py [--quick]

Prints one table; each figure is compared with its target (PASS/FAIL). Exit code 1 when a
figure misses its target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.history.diff import diff_policies  # noqa: E402
from policyforge.history.release import set_dates  # noqa: E402
from policyforge.site import build as site  # noqa: E402
from policyforge.source.model import Policy  # noqa: E402
from policyforge.source.options import read_project  # noqa: E402

BIN = Path(sys.executable).parent
WORDS = ["data", "account", "service", "privacy", "request", "process", "store", "share", "provider",
         "secure", "user", "consent", "law", "policy", "retain", "delete", "access", "export", "cookie",
         "analytics", "payment", "notice", "right", "contact", "update"]


def text(n: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 13 + i // 5) % len(WORDS)] for i in range(n)) + "."


def policy_data(words: int, per_section: int = 100, variant: int = 0) -> dict[str, Any]:
    """A valid policy of about ``words`` words; ``variant`` rewords, renames and moves a few sections."""
    count = max(1, words // per_section)
    sections = [{"id": f"s{i}", "title": f"Section {i}", "text": text(per_section, i)} for i in range(count)]
    if variant:
        for k in range(3):
            i = (variant * 3 + k) % count
            sections[i]["text"] = text(per_section - 3, i) + f" amended in version {variant} now."
        sections[variant % count]["title"] = f"Section {variant % count} (revised {variant})"
        sections.insert(0, sections.pop((variant * 5) % count))
    return {
        "title": "Privacy Policy", "product": "Bench", "effective": "2020-01-01", "updated": "2020-01-01",
        "controller": {"name": "Bench Ltd", "email": "privacy@bench.example"},
        "sections": sections,
        "consent": {"categories": [
            {"id": "essential", "title": "Essential", "description": "Needed", "required": True},
            {"id": "analytics", "title": "Analytics", "description": "Counts visits",
             "gcm": ["analytics_storage"]}]},
    }


def median_ms(func: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


MKDOCS_YML = """site_name: Bench
site_url: https://bench.example/
theme:
  name: material
  font: false
plugins:
  - policyforge
"""


def history_project(root: Path, releases: int, words: int) -> Path:
    """A project with ``releases`` released versions, written the way `policyforge release` writes them."""
    source = root / "policy_source" / "versions"
    source.mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    entries = []
    day = dt.date(2020, 1, 1)
    text_out = ""
    for n in range(releases):
        text_out = set_dates(yaml.safe_dump(policy_data(words, variant=n), sort_keys=False), day)
        path = source / f"{day.isoformat()}.yaml"
        path.write_text(text_out, encoding="utf-8")
        entries.append({"effective": day.isoformat(), "file": f"versions/{path.name}",
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "summary": f"Release {n}."})
        day += dt.timedelta(days=30)
    (root / "policy_source" / "versions.lock").write_text(
        json.dumps({"format": 1, "versions": entries}, indent=2) + "\n", encoding="utf-8")
    (root / "policy_source" / "policy.yaml").write_text(text_out, encoding="utf-8")
    return root / "mkdocs.yml"


def timed_run(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return time.perf_counter() - started


def plain_twin(example: Path, dest: Path) -> int:
    """A bare MkDocs project with the example's pages as plain Markdown files; returns the page count."""
    options = read_project(example / "mkdocs.yml")
    pages = site.generate_pages(site.prepare(options))
    docs = dest / "docs"
    shutil.copytree(example / "docs", docs)
    for path, content in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(content, encoding="utf-8")
    conf = yaml.safe_load((example / "mkdocs.yml").read_text(encoding="utf-8"))
    conf["plugins"] = ["search"]
    conf.pop("nav", None)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(conf, sort_keys=False), encoding="utf-8")
    return sum(1 for _ in docs.rglob("*.md"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer runs and releases (a smoke test).")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, bool | None]] = []

    old = Policy.model_validate(policy_data(10_000))
    new = Policy.model_validate(policy_data(10_000, variant=7))
    ms = median_ms(lambda: diff_policies(old, new), 5 if args.quick else 21)
    rows.append(("diff of two 10,000-word policies (median)", f"{ms:.1f} ms", "<= 100 ms", ms <= 100))

    counts = (3, 10) if args.quick else (10, 50, 100)
    with tempfile.TemporaryDirectory(prefix="pf-bench-") as tmp:
        from policyforge.mkdocs_plugin import engine

        for n in counts:
            config = history_project(Path(tmp) / f"h{n}", n, 6_000)
            started = time.perf_counter()
            engine.build(config)
            secs = time.perf_counter() - started
            per = secs / n
            rows.append((f"build with {n} releases of a 6,000-word policy",
                         f"{secs:.1f} s ({per:.2f} s/release)", "<= 1 s/release", per <= 1.0))

        example = Path(tmp) / "example"
        example.mkdir()
        shutil.copy2(ROOT / "mkdocs.yml", example / "mkdocs.yml")
        for folder in ("docs", "policy_source"):
            shutil.copytree(ROOT / folder, example / folder)
        twin = Path(tmp) / "plain"
        twin.mkdir()
        pages = plain_twin(example, twin)
        runs = 1 if args.quick else 3
        forge_cmd = [str(BIN / "policyforge"), "build"]
        bare_cmd = [str(BIN / "mkdocs"), "build", "-q"]
        forge = statistics.median(timed_run(forge_cmd, example) for _ in range(runs))
        bare = statistics.median(timed_run(bare_cmd, twin) for _ in range(runs))
        ratio = forge / bare
        rows.append((f"policyforge build vs bare mkdocs build ({pages} pages)",
                     f"{forge:.2f} s / {bare:.2f} s = {ratio:.2f}x", "<= 1.5x", ratio <= 1.5))

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"{'Measure':<{width}}  {'Result':<{vwidth}}  {'Target':<15}  Verdict")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {target:<15}  {'PASS' if ok else 'FAIL'}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the version history: diff speed, commands on long histories, build overhead.

Run from the repository root:  .venv/bin/python bench/bench_history.py [--quick]

A generated history of 10, 50 and 100 releases of a 6,000-word, 50-section policy is timed
through the real ``policyforge`` commands (each a fresh process, as a user runs them):
``build`` (the first build, without the diff cache, and a cached one) against a bare ``mkdocs build``
of the same pages written as Markdown (same theme and plugins minus policyforge; median of 5 runs
each), ``diff A B``, ``release`` and ``check``, and the cost per release at each length (the
figures must stay flat as the history grows). Prints one table; each figure is compared with its
target (PASS/FAIL). Exit code 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.history.diff import diff_policies  # noqa: E402
from policyforge.history.release import set_dates  # noqa: E402
from policyforge.site import build as site  # noqa: E402
from policyforge.source.model import Policy  # noqa: E402
from policyforge.source.options import read_project  # noqa: E402

BIN = Path(sys.executable).parent
WORDS = [
    "data",
    "account",
    "service",
    "privacy",
    "request",
    "process",
    "store",
    "share",
    "provider",
    "secure",
    "user",
    "consent",
    "law",
    "policy",
    "retain",
    "delete",
    "access",
    "export",
    "cookie",
    "analytics",
    "payment",
    "notice",
    "right",
    "contact",
    "update",
]


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
        "title": "Privacy Policy",
        "product": "Bench",
        "effective": "2020-01-01",
        "updated": "2020-01-01",
        "controller": {"name": "Bench Ltd", "email": "privacy@bench.example"},
        "sections": sections,
        "consent": {
            "categories": [
                {"id": "essential", "title": "Essential", "description": "Needed", "required": True},
                {"id": "analytics", "title": "Analytics", "description": "Counts visits", "gcm": ["analytics_storage"]},
            ]
        },
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


def history_project(root: Path, releases: int, words: int, sections: int = 60) -> Path:
    """A project with ``releases`` released versions, written the way `policyforge release` writes them.

    Each release rewords three sections, retitles one and moves one (:func:`policy_data`).
    """
    source = root / "policy_source" / "versions"
    source.mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    entries = []
    day = dt.date(2020, 1, 1)
    text_out = ""
    for n in range(releases):
        data = policy_data(words, per_section=words // sections, variant=n)
        text_out = set_dates(yaml.safe_dump(data, sort_keys=False), day)
        path = source / f"{day.isoformat()}.yaml"
        path.write_text(text_out, encoding="utf-8")
        entries.append(
            {
                "effective": day.isoformat(),
                "file": f"versions/{path.name}",
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "summary": f"Release {n}.",
            }
        )
        day += dt.timedelta(days=30)
    (root / "policy_source" / "versions.lock").write_text(
        json.dumps({"format": 1, "versions": entries}, indent=2) + "\n", encoding="utf-8"
    )
    (root / "policy_source" / "policy.yaml").write_text(text_out, encoding="utf-8")
    return root / "mkdocs.yml"


class Timing(NamedTuple):
    """CPU seconds (user + system, the command and its children) and wall-clock seconds of a run."""

    cpu: float
    wall: float

    def judged(self) -> float:
        """The figure compared with the targets: CPU time, or wall time with ``--wall``."""
        return self.wall if USE_WALL else self.cpu

    def __str__(self) -> str:
        return f"{self.cpu:.2f} s cpu / {self.wall:.2f} s wall"


BUILD_RUNS = 5  # the build and the bare MkDocs build it is compared with: median of 5
USE_WALL = False  # set by --wall: on a shared machine wall time mostly measures the other processes


def timed_run(args: list[str], cwd: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return Timing(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall)


def plain_twin(example: Path, dest: Path) -> tuple[int, list[Path]]:
    """Bare MkDocs projects with the example's pages as plain Markdown files: the root's in ``dest`` and, for each
    language of ``translations``, that language's pages in ``dest/LANG`` (a MkDocs build each, as policyforge
    does). Returns the page count and the projects' folders.

    Same theme (in the language's ``theme.language``), same other plugins and the ``attr_list`` extension
    policyforge adds; no policyforge.
    """
    options = read_project(example / "mkdocs.yml")
    inputs = site.prepare(options)
    conf = yaml.safe_load((example / "mkdocs.yml").read_text(encoding="utf-8"))
    conf["plugins"] = [
        p for p in conf.get("plugins") or [] if p != "policyforge" and not (isinstance(p, dict) and "policyforge" in p)
    ]
    conf["markdown_extensions"] = [*(conf.get("markdown_extensions") or []), "attr_list"]
    conf.pop("nav", None)
    count = 0
    projects: list[Path] = []
    for lang in ("", *options.translations):
        project = dest / lang if lang else dest
        docs = project / "docs"
        pages = site.generate_pages(site.language_inputs(inputs, lang) if lang else inputs)
        shutil.copytree(
            example / "docs", docs, ignore=(lambda _, names: [n for n in names if n.endswith(".md")]) if lang else None
        )
        for path, content in pages.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(content, encoding="utf-8")
        theme = conf.get("theme") or {}
        lang_conf = {
            **conf,
            "theme": {**({"name": theme} if isinstance(theme, str) else theme), **({"language": lang} if lang else {})},
        }
        (project / "mkdocs.yml").write_text(yaml.safe_dump(lang_conf, sort_keys=False), encoding="utf-8")
        count += sum(1 for _ in docs.rglob("*.md"))
        projects.append(project)
    return count, projects


def bare_build(projects: list[Path]) -> list[str]:
    """One command building every twin project in turn (its CPU time is the sum of theirs)."""
    mkdocs = str(BIN / "mkdocs")
    return ["sh", "-c", " && ".join(f"{mkdocs} build -q -f {p / 'mkdocs.yml'}" for p in projects)]


def median_run(args: list[str], cwd: Path, runs: int) -> Timing:
    """Median CPU and wall time of a command."""
    timings = [timed_run(args, cwd) for _ in range(runs)]
    return Timing(statistics.median(t.cpu for t in timings), statistics.median(t.wall for t in timings))


def history_commands(root: Path, releases: int, runs: int) -> dict[str, Timing]:
    """Times of check, diff, release and build (cold and with the diff cache) on ``releases`` versions."""
    project = history_project(root / f"h{releases}", releases, 6_000, sections=50).parent
    entries = json.loads((project / "policy_source" / "versions.lock").read_text(encoding="utf-8"))["versions"]
    old, new = entries[releases // 2 - 1]["effective"], entries[releases // 2]["effective"]
    newest = max(dt.date.fromisoformat(entries[-1]["effective"]), dt.date.today())
    after = (newest + dt.timedelta(days=30)).isoformat()
    forge = str(BIN / "policyforge")
    times = {
        "check": median_run([forge, "check"], project, runs),
        "diff": median_run([forge, "diff", old, new], project, runs),
    }
    release_times = []
    for attempt in range(runs):  # a release changes the project: each run gets a fresh copy with an edited draft
        copy = root / f"h{releases}-release{attempt}"
        shutil.copytree(project, copy)
        draft = copy / "policy_source" / "policy.yaml"
        draft.write_text(draft.read_text(encoding="utf-8").replace("amended", "changed", 1), encoding="utf-8")
        release_times.append(timed_run([forge, "release", "--effective", after, "--summary", "Bench."], copy))
        shutil.rmtree(copy)
    times["release"] = Timing(
        statistics.median(t.cpu for t in release_times), statistics.median(t.wall for t in release_times)
    )
    # The build against the bare MkDocs build: median of BUILD_RUNS at 50 releases (the targets), fewer elsewhere.
    build_runs = BUILD_RUNS if releases == 50 and runs > 1 else max(1, runs // 2)
    if releases == 50:
        colds = []
        for _ in range(build_runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            colds.append(timed_run([forge, "build"], project))  # every release pair diffed
        times["build cold"] = Timing(statistics.median(t.cpu for t in colds), statistics.median(t.wall for t in colds))
    times["build"] = median_run([forge, "build"], project, build_runs)  # release diffs from .cache
    return times


def history_rows(tmp: Path, quick: bool) -> list[tuple[str, str, str, bool | None]]:
    """Rows of the history-command figures: targets at 50 releases, flatness from 10 to 100."""
    counts = (10, 50, 100)
    runs = 1 if quick else 3
    figures = {n: history_commands(tmp, n, runs) for n in counts}
    twin = tmp / "plain50"
    twin.mkdir()
    pages, projects = plain_twin(tmp / "h50", twin)
    median_of = BUILD_RUNS if runs > 1 else 1
    bare = median_run(bare_build(projects), twin, median_of)
    at50 = figures[50]
    rows: list[tuple[str, str, str, bool | None]] = []
    for key, label in (
        ("build", f"build, 50 releases (diff cache), vs bare mkdocs build ({pages} pages, median of {median_of})"),
        ("build cold", "build, 50 releases, first build (no diff cache), vs the same"),
    ):
        ratio = at50[key].judged() / bare.judged()
        rows.append((label, f"{at50[key]} vs {bare} = {ratio:.2f}x", "<= 1.5x", ratio <= 1.5))
    for key, limit in (("diff", 0.5), ("release", 1.0), ("check", 0.5)):
        rows.append(
            (
                f"{key}{' A B' if key == 'diff' else ''}, 50 releases",
                str(at50[key]),
                f"<= {limit:g} s",
                at50[key].judged() <= limit,
            )
        )
    per = {n: figures[n]["build"].judged() / n for n in counts}
    rows.append(
        (
            "build cost per release at 10 / 50 / 100",
            " / ".join(f"{per[n]:.3f}" for n in counts) + " s",
            "flat (100 <= 1.2x 50)",
            per[100] <= 1.2 * per[50],
        )
    )
    for name in ("diff", "release", "check"):
        values = [figures[n][name].judged() for n in counts]
        growth = (values[-1] - values[0]) / (counts[-1] - counts[0]) * 1000
        rows.append(
            (
                f"{name} at 10 / 50 / 100 releases",
                " / ".join(f"{v:.2f}" for v in values) + f" s ({growth:+.1f} ms/release)",
                "flat (100 <= 1.5x 10)",
                values[-1] <= 1.5 * values[0],
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer runs and releases (a smoke test).")
    parser.add_argument(
        "--wall",
        action="store_true",
        help="Judge commands by wall-clock time (on an idle machine) instead of CPU time.",
    )
    args = parser.parse_args()
    global USE_WALL
    USE_WALL = args.wall
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Commands are judged by {'wall-clock' if USE_WALL else 'CPU'} time; load average {load}.", flush=True)
    rows: list[tuple[str, str, str, bool | None]] = []

    old = Policy.model_validate(policy_data(10_000))
    new = Policy.model_validate(policy_data(10_000, variant=7))
    ms = median_ms(lambda: diff_policies(old, new), 5 if args.quick else 21)
    rows.append(("diff of two 10,000-word policies (median)", f"{ms:.1f} ms", "<= 100 ms", ms <= 100))

    with tempfile.TemporaryDirectory(prefix="pf-bench-") as tmp:
        rows += history_rows(Path(tmp), args.quick)
        example = Path(tmp) / "example"
        example.mkdir()
        shutil.copy2(ROOT / "mkdocs.yml", example / "mkdocs.yml")
        for folder in ("docs", "policy_source", "terms_source"):  # every document of the example
            shutil.copytree(ROOT / folder, example / folder)
        twin = Path(tmp) / "plain"
        twin.mkdir()
        pages, projects = plain_twin(example, twin)
        runs = 1 if args.quick else 3
        forge_cmd = [str(BIN / "policyforge"), "build"]
        forge = median_run(forge_cmd, example, runs)
        bare = median_run(bare_build(projects), twin, runs)
        ratio = forge.judged() / bare.judged()
        sites = f", {len(projects)} languages" if len(projects) > 1 else ""
        rows.append(
            (
                f"policyforge build vs bare mkdocs build ({pages} pages{sites})",
                f"{forge} vs {bare} = {ratio:.2f}x",
                "<= 1.5x",
                ratio <= 1.5,
            )
        )

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    twidth = max(len(r[2]) for r in rows)
    print(f"{'Measure':<{width}}  {'Result':<{vwidth}}  {'Target':<{twidth}}  Verdict")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {target:<{twidth}}  {'PASS' if ok else 'FAIL'}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Helpers of the `policyforge scan` tests: fixture sites ready to serve, and running the CLI.

The fixture sites live in tests/fixtures/sites/. Their pages are generated from one template,
``page.html`` (a home page and an about page that link to each other and gate an analytics
script); a site's ``home-scripts.html`` adds what only that site's home page does (trackers that
ignore consent, undeclared cookies). A site with its own ``index.html`` (a hand-made banner) is
used as it is. Every site serves the shared ``gpc.json`` at ``/.well-known/gpc.json``.
:func:`prepare_site` writes a site's pages into a folder and adds the banner.

The banner's files are generated from the fixture policy with :func:`policyforge.banner.stages.banner_files`,
so the fixtures always carry the current banner. ``extra-category.json`` in a site adds one
more category to that site's banner config; a site whose pages do not load
``/consent/consent.js`` brings its own (hand-made) banner.
"""

from __future__ import annotations

import json
import os
import shutil
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyforge.banner.config import banner_config, write_banner
from policyforge.banner.stages import banner_files
from policyforge.source.loader import load_policy

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
POLICY_DIR = SITES / "policy_source"


def prepare_site(name: str, dest: Path) -> Path:
    """Copy fixture site ``name`` into ``dest`` with its generated banner; return the copy."""
    site = dest / name
    spec = SITES / name
    if spec.is_dir():
        shutil.copytree(spec, site, ignore=shutil.ignore_patterns("home-scripts.html"))
    (site / ".well-known").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SITES / "gpc.json", site / ".well-known" / "gpc.json")
    if not (site / "index.html").is_file():
        write_pages(spec, site)
    if "/consent/consent.js" not in (site / "index.html").read_text(encoding="utf-8"):
        return site
    policy = load_policy(POLICY_DIR / "policy.yaml")
    config = banner_config(policy, policy_url="/", changes_url="/changes/since/{revision}/")
    extra = site / "extra-category.json"
    if extra.is_file():
        config["categories"].append(json.loads(extra.read_text(encoding="utf-8")))
    write_banner(banner_files(config), site / "consent")
    return site


def write_pages(spec: Path, site: Path) -> None:
    """The home and about pages of a fixture site, from ``page.html``."""
    template = string.Template((SITES / "page.html").read_text(encoding="utf-8"))
    extra = spec / "home-scripts.html"
    home_scripts = extra.read_text(encoding="utf-8").rstrip("\n") if extra.is_file() else ""
    pages = {"index.html": ("Home", "/about.html", home_scripts), "about.html": ("About", "/", "")}
    for file_name, (title, next_page, scripts) in pages.items():
        html = template.substitute(title=title, next=next_page, scripts=scripts)
        (site / file_name).write_text(html, encoding="utf-8")


@dataclass
class Run:
    """One finished ``policyforge scan`` process."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    def rules(self) -> list[str]:
        return sorted({f["rule"] for f in self.report["findings"]})

    def details(self, rule: str) -> list[str]:
        return [f["detail"] for f in self.report["findings"] if f["rule"] == rule]


def scan(url: str, *args: str, policy: Path = POLICY_DIR, network: dict[str, Any] | None = None) -> Run:
    """Run ``policyforge scan URL --policy POLICY ARGS...`` in a subprocess.

    With ``network``, names resolve and addresses classify as it scripts (tests/e2e/scripted_network.py).
    """
    started = time.perf_counter()
    program = ["tests.e2e.scripted_network"] if network is not None else ["policyforge"]
    proc = subprocess.run(
        [sys.executable, "-m", *program, "scan", url, "--policy", str(policy), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=SITES.parents[2],
        env={**os.environ, "PF_TEST_NETWORK": json.dumps(network)} if network is not None else None,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)

"""Helpers of the `policyforge scan` tests: fixture sites ready to serve, and running the CLI.

The fixture sites live in tests/fixtures/sites/; :func:`prepare_site` copies one and adds the banner.

The banner script is generated from the fixture policy with :func:`policyforge.widget.assemble`,
so the fixtures always carry the current banner. ``extra-category.json`` in a site adds one
more category to that site's banner config; a site whose pages do not load
``/consent/consent.js`` brings its own (hand-made) banner.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyforge.banner import assemble as widget
from policyforge.banner.config import banner_config
from policyforge.source.loader import load_policy

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
POLICY_DIR = SITES / "policy_source"


def prepare_site(name: str, dest: Path) -> Path:
    """Copy fixture site ``name`` into ``dest`` with its generated banner; return the copy."""
    site = dest / name
    shutil.copytree(SITES / name, site)
    if "/consent/consent.js" not in (site / "index.html").read_text(encoding="utf-8"):
        return site
    policy = load_policy(POLICY_DIR / "policy.yaml")
    version = policy.effective.isoformat() if policy.effective else "draft"
    config = banner_config(policy, policy_url="/", changes_url="/changes/since/{version}/", version=version)
    extra = site / "extra-category.json"
    if extra.is_file():
        config["categories"].append(json.loads(extra.read_text(encoding="utf-8")))
    (site / "consent").mkdir()
    (site / "consent" / "consent.js").write_text(widget.assemble(config), encoding="utf-8")
    return site


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


def scan(url: str, *args: str, policy: Path = POLICY_DIR) -> Run:
    """Run ``policyforge scan URL --policy POLICY ARGS...`` in a subprocess."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "policyforge", "scan", url, "--policy", str(policy), *args],
                          capture_output=True, text=True, timeout=120, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)

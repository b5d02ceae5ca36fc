"""Self-audit: `policyforge scan` finds nothing wrong with the example site it builds.

The example site (policy pages, version history, docs) and its `/demo/` product page
(banner, a gated first-party analytics script that sets `_pf_demo_analytics`, a gated
iframe) are scanned against the example policy in `policy_source/`: every cookie and storage
key they set must be declared, nothing optional may appear before a choice or after
"Reject all", the banner must match the policy and `/.well-known/gpc.json` must be right.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.scan_kit import scan

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _assert_clean(url: str, *args: str) -> dict[str, Any]:
    run = scan(url, "--json", *args, policy=ROOT / "policy_source")
    assert run.code != 2, run.stderr
    report = run.report
    assert report["findings"] == [], "\n".join(f"{f['rule']}: {f['detail']}" for f in report["findings"])
    assert run.code == 0
    return report


def test_example_site_is_clean(built_example: Path, serve_dir: Callable[..., str]) -> None:
    base = serve_dir(built_example)
    report = _assert_clean(base + "/")
    assert len(report["pages"]) > 3  # the crawl reached the history and docs pages
    states = report["states"]
    assert states["before"]["cookies"] == []
    assert {c["name"] for c in states["reject"]["cookies"]} == {"pf_consent"}


def test_demo_page_is_clean(built_example: Path, serve_dir: Callable[..., str]) -> None:
    base = serve_dir(built_example)
    report = _assert_clean(base + "/demo/", "--pages", "1")
    states = report["states"]
    assert "_pf_demo_analytics" not in {c["name"] for c in states["reject"]["cookies"]}
    assert "_pf_demo_analytics" in {c["name"] for c in states["accept"]["cookies"]}

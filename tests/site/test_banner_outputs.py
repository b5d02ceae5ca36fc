"""The banner files a build and `policyforge widget` write: names, integrity, config from the policy."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from click.testing import CliRunner

from policyforge.cli import main
from policyforge.consent import consent_revision
from policyforge.load import load_policy
from tests.conftest import ROOT, copy_project

CURRENT = sorted((ROOT / "policy_source" / "versions").glob("*.yaml"))[-1]


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_build_prints_snippet_matching_the_hashed_file(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    result = CliRunner().invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 0, result.output
    match = re.search(r'<script src="[^"]*/consent/(consent\.[0-9a-f]{10}\.js)" integrity="([^"]+)" '
                      r'crossorigin="anonymous" defer></script>', result.output)
    assert match, result.output
    hashed = (tmp_path / "p" / "site" / "consent" / match.group(1)).read_bytes()
    assert hashed == (tmp_path / "p" / "site" / "consent" / "consent.js").read_bytes()
    assert match.group(2) == sri(hashed)
    assert match.group(1)[8:18] == hashlib.sha256(hashed).hexdigest()[:10]


def test_widget_command_writes_the_banner_alone(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    out = tmp_path / "widget"
    result = CliRunner().invoke(main, ["widget", "-f", str(config), "--out", str(out),
                                       "--policy-url", "https://example.com/privacy"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and "consent.config.json" in names and "consent.js" in names
    hashed = next(n for n in names if re.fullmatch(r"consent\.[0-9a-f]{10}\.js", n))
    assert (out / hashed).read_bytes() == (out / "consent.js").read_bytes()
    cfg = json.loads((out / "consent.config.json").read_text(encoding="utf-8"))
    policy = load_policy(CURRENT)
    assert cfg["revision"] == consent_revision(policy)
    assert cfg["version"] == CURRENT.stem
    assert cfg["policyUrl"] == "https://example.com/privacy/#cookies"
    assert cfg["changesUrl"] == "https://example.com/privacy/changes/since/{version}/"
    assert [c["id"] for c in cfg["categories"]] == [c.id for c in policy.consent.categories]
    assert not (tmp_path / "p" / "site").exists()
    script = (out / "consent.js").read_text(encoding="utf-8")
    assert json.dumps(cfg["revision"]) in script


def test_gpc_json_last_update_is_the_current_effective_date(built_example: Path) -> None:
    data = json.loads((built_example / ".well-known" / "gpc.json").read_text(encoding="utf-8"))
    assert data == {"gpc": True, "lastUpdate": CURRENT.stem}

"""`policyforge export`: the record of processing (Art. 30(1)) and a fideslang system manifest."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import yaml

from policyforge.cli.main import main
from policyforge.source.ropa import ROPA_COLUMNS
from policyforge.source.taxonomy import taxonomy
from tests.conftest import FIXTURES, ROOT, copy_project, invoke
from tests.fideslang_env import fideslang_python

COMPLETE = FIXTURES / "facts-complete"


def _export(tmp_path: Path, config: Path, fmt: str, version: str = "draft") -> Path:
    out = tmp_path / f"out-{fmt}-{version}"
    result = invoke(main, ["export", "-f", str(config), "--format", fmt, "--version", version, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_ropa_has_one_row_per_activity_and_every_art_30_1_column(tmp_path: Path) -> None:
    out = _export(tmp_path, COMPLETE / "mkdocs.yml", "ropa")
    rows = list(csv.DictReader(io.StringIO((out / "ropa.csv").read_text(encoding="utf-8"))))
    data = json.loads((out / "ropa.json").read_text(encoding="utf-8"))
    assert [r["activity"] for r in rows] == [r["activity"] for r in data["activities"]] == ["accounts", "leads"]
    assert list(rows[0]) == list(ROPA_COLUMNS) == list(data["columns"])
    points = " ".join(ROPA_COLUMNS.values())
    for point in "abcdefg":
        assert f"Art. 30(1)({point})" in points
    accounts, leads = data["activities"]
    assert accounts["dpo"] == "Dana Protect, dpo@tiny.example"
    assert accounts["representative"].startswith("EU: Tiny Rep GmbH")
    assert accounts["retention"] == "P30D after account deletion" and accounts["transfers"] == []
    assert leads["transfers"] == ["Mail Sender, Inc.: US, sccs"]
    assert leads["legal_basis"] == "legitimate_interests (Art. 6(1)(f))"
    assert rows[0]["data_categories"] == "User Contact Email (user.contact.email); Name (user.name)"
    assert accounts["security_measures"].startswith("Encryption in transit and at rest")  # the controller's
    assert leads["security_measures"].startswith("Prospect lists kept")  # the activity's own
    assert accounts["joint_controllers"] == leads["joint_controllers"] == []


def test_ropa_names_an_activitys_joint_controllers(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", COMPLETE)
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    joint = text.replace("role: processor\n    purpose: Hosts", "role: joint_controller\n    purpose: Hosts")
    policy.write_text(joint, encoding="utf-8")
    accounts, leads = json.loads((_export(tmp_path, config, "ropa") / "ropa.json").read_text(encoding="utf-8"))[
        "activities"
    ]
    assert accounts["joint_controllers"] == ["Cloud Host GmbH (DE)"] and leads["joint_controllers"] == []
    assert ROPA_COLUMNS["joint_controllers"] == "Art. 30(1)(a)"


def _manifest(tmp_path: Path) -> Path:
    return _export(tmp_path, COMPLETE / "mkdocs.yml", "fides") / "fides.yml"


def test_fides_manifest_uses_the_default_taxonomy(tmp_path: Path) -> None:
    manifest = yaml.safe_load(_manifest(tmp_path).read_text(encoding="utf-8"))
    (system,) = manifest["system"]
    assert system["legal_basis_for_transfers"] == ["SCCs"] and system["does_international_transfers"]
    assert system["dpo"] == "Dana Protect, dpo@tiny.example"
    declarations = system["privacy_declarations"]
    assert [d["legal_basis_for_processing"] for d in declarations] == ["Contract", "Legitimate interests"]
    for decl in declarations:
        assert decl["data_use"] in taxonomy("data_use")
        assert set(decl["data_categories"]) <= set(taxonomy("data_category"))
        assert set(decl["data_subjects"]) <= set(taxonomy("data_subject"))


_VALIDATE = """
import sys, yaml
from fideslang.models import System
for system in yaml.safe_load(open(sys.argv[1]))["system"]:
    print(len(System.model_validate(system).privacy_declarations))
"""


def test_fideslang_validates_the_manifest(tmp_path: Path) -> None:
    done = subprocess.run(
        [fideslang_python(), "-c", _VALIDATE, str(_manifest(tmp_path))], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2"]


def test_a_release_is_exported_by_its_date(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", COMPLETE)
    released = invoke(
        main, ["release", "-f", str(config), "--effective", "2025-03-01", "--backdate", "--summary", "Facts."]
    )
    assert released.exit_code == 0, released.output
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("P30D", "P60D"), encoding="utf-8")
    frozen = json.loads((_export(tmp_path, config, "ropa", "2025-03-01") / "ropa.json").read_text(encoding="utf-8"))
    draft = json.loads((_export(tmp_path, config, "ropa") / "ropa.json").read_text(encoding="utf-8"))
    current = json.loads((_export(tmp_path, config, "ropa", "current") / "ropa.json").read_text(encoding="utf-8"))
    kept = "P30D after account deletion"
    assert frozen["activities"][0]["retention"] == current["activities"][0]["retention"] == kept
    assert draft["activities"][0]["retention"] == "P60D after account deletion"
    assert (frozen["version"], draft["version"]) == ("2025-03-01", "draft")


def test_a_version_without_facts_is_refused(tmp_path: Path) -> None:
    args = ["export", "-f", str(ROOT / "mkdocs.yml"), "--version", "2025-09-01", "--format", "ropa"]
    result = invoke(main, [*args, "--out", str(tmp_path)])  # the example's release before it stated its facts
    assert result.exit_code == 2
    assert "ERROR: the 2025-09-01 version of policy_source/policy.yaml declares no processing activities" in (
        result.stderr
    )
    assert not list(tmp_path.iterdir())


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", COMPLETE)
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    text = text.replace("title: Run your account", 'title: "=HYPERLINK(\\"https://evil.example\\")"')
    text = text.replace("name: Cloud Host GmbH", "name: '@SUM(1+1)'")
    policy.write_text(text, encoding="utf-8")
    out = _export(tmp_path, config, "ropa")
    row = next(csv.DictReader(io.StringIO((out / "ropa.csv").read_text(encoding="utf-8"))))
    assert row["purpose"] == '\'=HYPERLINK("https://evil.example")'
    assert row["recipients"] == "'@SUM(1+1) (processor, DE)"
    data = json.loads((out / "ropa.json").read_text(encoding="utf-8"))
    assert data["activities"][0]["purpose"] == '=HYPERLINK("https://evil.example")'

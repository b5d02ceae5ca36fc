"""``policyforge receipts show|export|stats|migrate`` on a real SQLite database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from policyforge.cli import main
from policyforge.receipts.ledger import Ledger
from policyforge.receipts.receipt import parse_receipt
from policyforge.receipts.store import StoredReceipt, open_store
from policyforge.source.options import read_project
from tests.conftest import invoke
from tests.receipts.kit import receipt_for

SECOND = "2025-09-01"  # the example's second release, in effect in September 2025 (2026-12-06 took over since)


def cli(*args: str) -> Any:
    return invoke(main, list(args))


def put(db: str, when: dt.datetime, body: dict[str, Any]) -> str:
    store = open_store(db, migrate=True)
    try:
        receipt_id = str(uuid.uuid4())
        store.add([StoredReceipt(receipt_id, when, parse_receipt(json.dumps(body).encode()))])
        return receipt_id
    finally:
        store.close()


@pytest.fixture
def filled(project: Path, tmp_path: Path) -> str:
    """A database with a visitor who chose under the first version and was asked again under the second."""
    db = str(tmp_path / "r.sqlite3")
    old = receipt_for(
        project,
        release="2025-03-01",
        consent_id="visitor-0001",
        action="reject",
        granted=["essential"],
        refused=["analytics", "preferences"],
    )
    put(db, dt.datetime(2025, 4, 1, 9, 30), old)
    put(db, dt.datetime(2025, 9, 2, 10, 0), receipt_for(project, release=SECOND, consent_id="visitor-0001"))
    put(
        db,
        dt.datetime(2025, 9, 3, 11, 0),
        receipt_for(
            project,
            release=SECOND,
            consent_id="visitor-0002",
            action="gpc",
            gpc=True,
            granted=["essential"],
            refused=["analytics", "preferences", "marketing"],
        ),
    )
    return db


def test_show_names_the_version_its_hash_and_its_archived_page(project: Path, filled: str) -> None:
    result = cli("receipts", "show", "visitor-0001", "-f", str(project), "--db", filled)
    assert result.exit_code == 0, result.output
    lock = json.loads((project.parent / "policy_source" / "versions.lock").read_text())["versions"]
    out = result.output
    assert "Consent id visitor-0001: 2 receipt(s)" in out
    assert out.index("2025-04-01 09:30:00 UTC  reject") < out.index("2025-09-02 10:00:00 UTC  accept")
    for entry in lock[:2]:  # the versions in effect when the visitor chose (2026-12-06 came later)
        assert f"policy version {entry['effective']}, sha256 {entry['sha256']}" in out
        assert f"text the visitor saw: https://privacy.gptimage2ai.com/versions/{entry['effective']}/" in out
    assert "granted: essential; refused: analytics, preferences" in out
    assert f"policy version {lock[2]['effective']}" not in out
    assert "warning" not in out


def test_show_names_the_version_of_receipts_of_both_formats(project: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "both.sqlite3")
    ledger = Ledger(read_project(project))
    put(db, dt.datetime(2025, 4, 1), receipt_for(project, release="2025-03-01", consent_id="visitor-0004"))
    # the revision of the release in effect on arrival, format 2 (2026-12-06, which has the same revision, came later)
    sent = receipt_for(project, release=SECOND, consent_id="visitor-0004")
    body = {**{k: v for k, v in sent.items() if k not in ("version", "sha256")}, "format": 2}
    arrived = dt.datetime(2025, 9, 5, 8, 0)
    resolved = ledger.check(parse_receipt(json.dumps(body).encode()), arrived)
    store = open_store(db, migrate=True)
    try:
        store.add([StoredReceipt(str(uuid.uuid4()), arrived, resolved)])
    finally:
        store.close()
    out = cli("receipts", "show", "visitor-0004", "-f", str(project), "--db", db).output
    first, second = out.split("2025-09-05 08:00:00 UTC")
    assert "policy version 2025-03-01" in first
    assert "receipt format 1: the banner named the version" in first
    assert f"policy version 2025-09-01, sha256 {sent['sha256']}, consent revision {sent['revision']}" in second
    assert "receipt format 2: the banner named the revision; the service resolved the version" in second
    assert "text the visitor saw: https://privacy.gptimage2ai.com/versions/2025-09-01/" in second
    assert "warning" not in out


def test_show_warns_when_the_lock_no_longer_has_that_hash(project: Path, filled: str, tmp_path: Path) -> None:
    db = str(tmp_path / "other.sqlite3")
    put(db, dt.datetime(2025, 9, 2), receipt_for(project, release=SECOND, consent_id="visitor-0003", sha256="1" * 64))
    result = cli("receipts", "show", "visitor-0003", "-f", str(project), "--db", db)
    assert "warning: versions.lock has another sha256 for this version" in result.output


def test_show_of_an_unknown_id_is_an_error_line(project: Path, filled: str) -> None:
    result = invoke(main, ["receipts", "show", "nobody-at-all", "-f", str(project), "--db", filled])
    assert result.exit_code == 2
    assert "ERROR: no receipt with consent id or receipt id 'nobody-at-all'" in result.output
    assert "Traceback" not in result.output


def test_export_since_as_json_lines_and_csv(project: Path, filled: str, tmp_path: Path) -> None:
    result = cli("receipts", "export", "-f", str(project), "--db", filled, "--since", "2025-09-01")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["consent_id"], r["action"], r["server_time"]) for r in rows] == [
        ("visitor-0001", "accept", "2025-09-02T10:00:00.000000Z"),
        ("visitor-0002", "gpc", "2025-09-03T11:00:00.000000Z"),
    ]
    assert rows[1]["gpc"] is True and rows[1]["refused"] == ["analytics", "preferences", "marketing"]
    out = tmp_path / "export.csv"
    cli("receipts", "export", "-f", str(project), "--db", filled, "--format", "csv", "--out", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["action"] for r in table] == ["reject", "accept", "gpc"]
    assert table[0]["refused"] == "analytics preferences" and table[0]["version"] == "2025-03-01"


def test_stats_counts_choices_per_version_and_category(project: Path, filled: str) -> None:
    data = json.loads(cli("receipts", "stats", "-f", str(project), "--db", filled, "--json").output)
    first, second = data
    assert first["version"] == "2025-03-01" and first["actions"]["reject"] == 1 and first["asked_again"] == 0
    assert second["receipts"] == 2 and second["visitors"] == 2 and second["asked_again"] == 1
    assert second["actions"] == {"accept": 1, "reject": 0, "custom": 0, "gpc": 1, "withdraw": 0}
    assert second["categories"]["marketing"] == {"granted": 1, "refused": 1}
    assert second["categories"]["essential"] == {"granted": 2, "refused": 0}
    text = cli("receipts", "stats", "-f", str(project), "--db", filled).output
    assert "Version 2025-09-01: 2 receipt(s) from 2 visitor(s), 1 of them asked again" in text


def test_migrate_is_idempotent_and_a_missing_database_is_an_error(project: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "new.sqlite3")
    assert "migrated from 0 to version 2" in cli("receipts", "migrate", "-f", str(project), "--db", db).output
    assert "already at version 2" in cli("receipts", "migrate", "-f", str(project), "--db", db).output
    result = invoke(main, ["receipts", "stats", "-f", str(project), "--db", str(tmp_path / "no.db")])
    assert result.exit_code == 2 and "no receipts database there" in result.output


def test_serve_refuses_to_start_without_an_allowed_origin(project: Path, tmp_path: Path) -> None:
    result = invoke(main, ["receipts", "serve", "-f", str(project), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "pass --allow-origin" in result.output


def test_a_database_url_of_another_kind_is_refused(project: Path) -> None:
    result = invoke(main, ["receipts", "stats", "-f", str(project), "--db", "mysql://h/db"])
    assert result.exit_code == 2 and "unsupported database URL mysql://" in result.output


SUBCOMMAND_ARGS = {"serve": [], "migrate": [], "show": ["visitor-0001"], "export": [], "stats": []}


@pytest.mark.parametrize("name", sorted(SUBCOMMAND_ARGS))
def test_every_receipts_command_without_the_extra_prints_the_install_hint(
    name: str, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from policyforge.cli.receipts import receipts

    assert set(receipts.commands) == set(SUBCOMMAND_ARGS)  # a new command is checked here too
    for module in [m for m in sys.modules if m.startswith("policyforge.receipts")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # import sqlalchemy now fails
    args = ["receipts", name, "-f", str(project), "--db", str(tmp_path / "r.sqlite3"), *SUBCOMMAND_ARGS[name]]
    result = invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "ERROR: the receipts commands need their extra dependencies (sqlalchemy is missing)" in result.output
    assert "pip install 'policyforge[receipts]'" in result.output and "Traceback" not in result.output


def test_a_clock_stored_before_the_rfc3339_rule_is_shown_and_exported_as_absent(project: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    receipt_id = put(db, dt.datetime(2025, 9, 2), receipt_for(project, consent_id="visitor-0009"))
    store = open_store(db)
    with store.engine.begin() as conn:  # what an earlier version let through: ESC as the separator
        conn.exec_driver_sql("UPDATE pf_receipts SET client_time = '2026-11-29' || char(27) || '12:00:00Z'")
    store.close()
    shown = cli("receipts", "show", receipt_id, "-f", str(project), "--db", db).output
    assert "visitor's clock not sent (or not an RFC 3339 time)" in shown
    out = tmp_path / "export.csv"
    cli("receipts", "export", "-f", str(project), "--db", db, "--format", "csv", "--out", str(out))
    assert next(csv.DictReader(io.StringIO(out.read_text())))["client_time"] == ""
    exported = json.loads(cli("receipts", "export", "-f", str(project), "--db", db).output)
    assert exported["client_time"] is None

"""The receipts tables' migrations (Alembic): a new database, and one from before Alembic upgraded in place
(its receipts read as format 1 after version 2 added the column)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from policyforge.receipts.store import open_store
from policyforge.receipts.tables import SCHEMA_VERSION, migrate, receipts


def test_a_new_database_gets_every_revision_and_alembics_version(tmp_path: Path) -> None:
    db = tmp_path / "receipts.sqlite3"
    store = open_store(str(db), migrate=True)
    store.check_schema()
    store.close()
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == str(SCHEMA_VERSION)
        assert {"pf_receipts", "alembic_version"} <= set(sa.inspect(conn).get_table_names())
        assert migrate(engine.connect) == (SCHEMA_VERSION, SCHEMA_VERSION)  # idempotent
    engine.dispose()


def test_a_database_from_before_alembic_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    engine = sa.create_engine(f"sqlite:///{db}")
    # the table of schema version 1: no `format` column (version 2 added it)
    version_1 = sa.Table("pf_receipts", sa.MetaData(), *(c._copy() for c in receipts.columns if c.name != "format"))
    with engine.begin() as conn:  # what policyforge wrote before Alembic: version 1 in pf_receipts_schema
        version_1.create(conn)
        conn.execute(sa.text("CREATE TABLE pf_receipts_schema (version INTEGER NOT NULL)"))
        conn.execute(sa.text("INSERT INTO pf_receipts_schema (version) VALUES (1)"))
        conn.execute(
            version_1.insert().values(
                receipt_id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                consent_id="kept-across-the-upgrade",
                action="accept",
                granted='["essential"]',
                refused="[]",
                revision="abc",
                version="2025-01-01",
                sha256="0" * 64,
                gpc=False,
                language="en",
                origin="https://shop.example",
                client_time="2025-01-01T00:00:00Z",
                server_time=sa.func.current_timestamp(),
            )
        )
    assert migrate(engine.connect) == (1, SCHEMA_VERSION)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        assert "pf_receipts_schema" not in tables and "alembic_version" in tables
        assert conn.execute(sa.text("SELECT consent_id FROM pf_receipts")).scalars().all() == [
            "kept-across-the-upgrade"
        ]
    engine.dispose()
    store = open_store(str(db))
    store.check_schema()
    [kept] = store.find("kept-across-the-upgrade")
    store.close()
    assert kept.receipt.format == 1  # every receipt stored before version 2 named its version

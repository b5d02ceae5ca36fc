"""The receipts database: its tables (SQLAlchemy Core) and their migrations (Alembic, ``migrations/``).

Both databases get the same tables: one row per receipt in ``pf_receipts``, with the granted
and refused categories as JSON arrays (``receipts stats`` counts them while reading). Receipt ids
are time-ordered, so inserts append to the indexes instead of touching random pages. The
schema version is the database's Alembic revision (integers: 1, 2, ...); :func:`migrate` runs
the missing revisions under a lock and refuses a database written by a newer policyforge.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    text,
)

from .errors import ReceiptsError

__all__ = ["SCHEMA_VERSION", "metadata", "migrate", "receipts", "schema_version"]

metadata = MetaData()

receipts = Table(
    "pf_receipts",
    metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("receipt_id", String(36), nullable=False, unique=True),
    Column("consent_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("granted", String(4200), nullable=False),  # JSON array of category ids
    Column("refused", String(4200), nullable=False),
    Column("revision", String(12), nullable=False),
    Column("version", String(10), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("gpc", Boolean(), nullable=False),
    Column("language", String(40), nullable=False),
    Column("origin", String(200), nullable=False),
    Column("client_time", String(40), nullable=False),
    Column("server_time", DateTime(), nullable=False),  # UTC
    # the receipt's format (version 2 on): 2 names the revision, its version resolved by the service
    Column("format", SmallInteger(), nullable=False, server_default="1"),
    Index("pf_receipts_consent_id", "consent_id"),
    Index("pf_receipts_server_time", "server_time"),
    Index("pf_receipts_version", "version", "action"),
)

MIGRATIONS = Path(__file__).with_name("migrations")  # Alembic's script folder: env.py and versions/
# The table where policyforge kept the schema version before Alembic (a single row, `version`).
LEGACY_TABLE = "pf_receipts_schema"


def _config(conn: Connection | None = None) -> Config:
    """Alembic's configuration, in code: the script folder and the connection env.py runs on."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


SCHEMA_VERSION = int(ScriptDirectory.from_config(_config()).get_current_head() or 0)


def _legacy_version(conn: Connection) -> int | None:
    """The version in the pre-Alembic version table, or None when the database has none."""
    if not conn.dialect.has_table(conn, LEGACY_TABLE):
        return None
    return int(conn.execute(text(f"SELECT version FROM {LEGACY_TABLE}")).scalar() or 0)


def schema_version(conn: Connection) -> int:
    """The schema version of the database: its Alembic revision (0 when it has no receipts tables yet)."""
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        return int(current)
    return _legacy_version(conn) or 0


def _lock(conn: Connection) -> None:
    """Serialise migrations between processes started at the same time."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7242025)"))
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(connect: Callable[[], Connection]) -> tuple[int, int]:
    """Bring the database to :data:`SCHEMA_VERSION` with Alembic; return (version before, version after).

    A database from before Alembic is upgraded in place: its version (each old step is the Alembic revision
    of the same number) is stamped as its Alembic revision and the old version table dropped, in the same
    transaction as the upgrade.
    """
    with connect() as conn:
        before = schema_version(conn)
    if before > SCHEMA_VERSION:
        raise ReceiptsError(
            f"the receipts database has schema version {before}, newer than this policyforge knows ({SCHEMA_VERSION})",
            hint="Upgrade policyforge to read it.",
        )
    with connect() as conn:
        _lock(conn)
        legacy = _legacy_version(conn)
        if legacy is not None and MigrationContext.configure(conn).get_current_revision() is None:
            if legacy:
                command.stamp(_config(conn), str(legacy))
            conn.execute(text(f"DROP TABLE {LEGACY_TABLE}"))
        command.upgrade(_config(conn), "head")
        conn.commit()
    return before, SCHEMA_VERSION

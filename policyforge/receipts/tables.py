"""The receipts database: its tables (SQLAlchemy Core) and the migrations that create them.

Both databases get the same tables: one row per receipt in ``pf_receipts``, with the granted
and refused categories as JSON arrays (``receipts stats`` counts them while reading). Receipt ids
are time-ordered, so inserts append to the indexes instead of touching random pages. The
schema version lives in ``pf_receipts_schema``; :func:`migrate` applies the missing steps in
order, each in its own transaction, and refuses a database written by a newer policyforge.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    select,
    text,
)

from .errors import ReceiptsError

__all__ = ["SCHEMA_VERSION", "metadata", "migrate", "receipts", "schema_table", "schema_version"]

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
    Index("pf_receipts_consent_id", "consent_id"),
    Index("pf_receipts_server_time", "server_time"),
    Index("pf_receipts_version", "version", "action"),
)

schema_table = Table("pf_receipts_schema", metadata, Column("version", Integer(), nullable=False))


def _v1(conn: Connection) -> None:
    """Version 1: the receipts."""
    receipts.create(conn)


# Append new steps; never edit a released one (databases in the field have run it).
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1,)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: Connection) -> int:
    """The schema version of the database (0 when it has no receipts tables yet)."""
    if not conn.dialect.has_table(conn, schema_table.name):
        return 0
    found = conn.execute(select(schema_table.c.version)).scalar()
    return int(found or 0)


def _lock(conn: Connection) -> None:
    """Serialise migrations between processes started at the same time."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7242025)"))
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(connect: Callable[[], Connection]) -> tuple[int, int]:
    """Bring the database to :data:`SCHEMA_VERSION`; return (version before, version after)."""
    with connect() as conn:
        before = schema_version(conn)
    if before > SCHEMA_VERSION:
        raise ReceiptsError(
            f"the receipts database has schema version {before}, newer than this policyforge knows ({SCHEMA_VERSION})",
            hint="Upgrade policyforge to read it.",
        )
    current = before
    while current < SCHEMA_VERSION:
        with connect() as conn:
            _lock(conn)
            current = schema_version(conn)
            if current < SCHEMA_VERSION:
                if current == 0:
                    schema_table.create(conn, checkfirst=True)
                MIGRATIONS[current](conn)
                current += 1
                conn.execute(schema_table.delete())
                conn.execute(schema_table.insert().values(version=current))
            conn.commit()
    return before, current

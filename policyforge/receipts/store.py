"""The one data-access layer of the receipts: SQLite (default) or PostgreSQL, through SQLAlchemy Core.

``open_store("receipts.sqlite3")`` or ``open_store("sqlite:///path")`` opens a SQLite file in WAL
mode with ``synchronous=FULL``, so a committed receipt survives a killed process and a power cut;
``open_store("postgresql://user@host/db")`` uses PostgreSQL through psycopg 3. Every database
failure that is not the caller's fault (lost connection, full disk, database file removed)
is raised as :class:`StoreUnavailable`, which the service answers with 503.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, func, select
from sqlalchemy.engine import make_url

from .errors import ReceiptsError, StoreUnavailable
from .receipt import Receipt, client_clock
from .tables import SCHEMA_VERSION, migrate, receipts, schema_version

__all__ = ["Store", "StoredReceipt", "database_url", "open_store", "receipt_id", "utcnow"]


def receipt_id() -> str:
    """A new receipt id: a UUID version 7 (time-ordered, 74 random bits)."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (
        (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 62 & 0xFFF) << 64 | 0b10 << 62 | rand & ((1 << 62) - 1)
    )
    return str(uuid.UUID(int=value))


def utcnow() -> dt.datetime:
    """The server's clock in UTC, without time zone (how the database stores it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class StoredReceipt:
    """A receipt as stored: the visitor's receipt, the server's id for it and the server time."""

    receipt_id: str
    server_time: dt.datetime
    receipt: Receipt

    def as_json(self) -> dict[str, Any]:
        """The stored receipt as one JSON object (the export format)."""
        stamp = self.server_time.isoformat(timespec="microseconds") + "Z"
        return {"receipt_id": self.receipt_id, "server_time": stamp, **self.receipt.as_json()}


def database_url(target: str) -> str:
    """A SQLAlchemy URL for a file path, ``sqlite:///...`` or ``postgresql://...``."""
    if "://" not in target:
        return "sqlite:///" + str(Path(target).expanduser().resolve())
    scheme = target.split("://", 1)[0].lower()
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    if scheme == "sqlite":
        return target
    raise ReceiptsError(
        f"unsupported database URL {target.split('://', 1)[0]}://...: use a file path, "
        "sqlite:///path or postgresql://user@host/db"
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    # Checkpoints run apart from commits (Store.checkpoint), so no acknowledgement waits for one.
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _unavailable(error: BaseException) -> StoreUnavailable:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0] if str(error) else type(error).__name__
    return StoreUnavailable(f"the receipts database is unavailable: {detail}")


class Store:
    """Receipts in one database. Thread-safe: SQLAlchemy pools the connections."""

    def __init__(self, url: str) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        self.kind = "postgresql" if parsed.get_backend_name() == "postgresql" else "sqlite"
        self.file: Path | None = None
        self._identity: tuple[int, int] | None = None
        if self.kind == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise ReceiptsError("receipts need a SQLite file, not an in-memory database")
            self.file = Path(parsed.database)
            if not self.file.parent.is_dir():
                raise ReceiptsError(f"{self.file.parent}: folder does not exist (the receipts database goes there)")
            self.engine: Engine = create_engine(self.url, pool_size=4, max_overflow=4)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(
                self.url,
                pool_pre_ping=True,
                pool_size=4,
                max_overflow=4,
                connect_args={"connect_timeout": 5, "application_name": "policyforge"},
            )

    @property
    def shown(self) -> str:
        """The database as logs and messages show it (no password)."""
        return str(self.file) if self.file else make_url(self.url).render_as_string(hide_password=True)

    def _connect(self) -> Connection:
        return self.engine.connect()

    def _check_file(self) -> None:
        """SQLite keeps writing into a removed file: refuse, rather than acknowledge into the void."""
        if self.file is None:
            return
        try:
            st = os.stat(self.file)
        except OSError as error:
            raise StoreUnavailable(f"the receipts database {self.file} is gone ({error.strerror})") from None
        identity = (st.st_dev, st.st_ino)
        if self._identity is None:
            self._identity = identity
        elif identity != self._identity:
            raise StoreUnavailable(f"the receipts database {self.file} was replaced while in use; restart the service")

    def migrate(self) -> tuple[int, int]:
        """Create or upgrade the tables; return (schema version before, after)."""
        try:
            done = migrate(self._connect)
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise _unavailable(error) from None
        self._check_file()
        return done

    def check_schema(self) -> None:
        """:class:`ReceiptsError` unless the database has the schema this code writes."""
        if self.file is not None and not self.file.is_file():
            raise ReceiptsError(
                f"{self.file}: no receipts database there",
                hint="Pass the database the service writes to with --db (or POLICYFORGE_RECEIPTS_DB).",
            )
        try:
            with self._connect() as conn:
                found = schema_version(conn)
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise _unavailable(error) from None
        if found != SCHEMA_VERSION:
            raise ReceiptsError(
                f"{self.shown}: receipts schema version {found}, expected {SCHEMA_VERSION}",
                hint="Run `policyforge receipts migrate` (serve does it by itself).",
            )

    def ping(self) -> None:
        """:class:`StoreUnavailable` unless the database answers."""
        self._check_file()
        try:
            with self._connect() as conn:
                conn.execute(select(1)).scalar()
        except exc.SQLAlchemyError as error:
            raise _unavailable(error) from None

    def add(self, batch: Sequence[StoredReceipt]) -> None:
        """Store a batch of receipts in one transaction; when this returns, they are on disk."""
        if not batch:
            return
        self._check_file()
        rows = [_row(item) for item in batch]
        try:
            with self._connect() as conn:
                conn.execute(receipts.insert(), rows)
                conn.commit()
        except (exc.OperationalError, exc.InterfaceError, exc.InternalError) as error:
            raise _unavailable(error) from None
        except exc.DBAPIError as error:
            if error.connection_invalidated:
                raise _unavailable(error) from None
            raise
        self._check_file()

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file without blocking writers
        (the service calls it every second; without it the log would only grow). PostgreSQL: nothing."""
        if self.file is None:
            return
        try:
            with self._connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except exc.SQLAlchemyError as error:
            raise _unavailable(error) from None

    def find(self, some_id: str) -> list[StoredReceipt]:
        """Every receipt of a consent id, oldest first (or the one receipt with that receipt id)."""
        query = select(receipts).where(receipts.c.consent_id == some_id).order_by(receipts.c.seq)
        found = self._select(query)
        if not found:
            found = self._select(select(receipts).where(receipts.c.receipt_id == some_id))
        return found

    def since(self, start: dt.datetime, chunk: int = 2000) -> Iterator[StoredReceipt]:
        """Receipts stored at or after ``start`` (UTC), oldest first, read in chunks."""
        last = 0
        while True:
            query = (
                select(receipts)
                .where(receipts.c.server_time >= start, receipts.c.seq > last)
                .order_by(receipts.c.seq)
                .limit(chunk)
            )
            rows = self._rows(query)
            for row in rows:
                yield _stored(row)
            if len(rows) < chunk:
                return
            last = rows[-1].seq

    def count(self) -> int:
        """How many receipts the database holds."""
        with self._connect() as conn:
            return int(conn.execute(select(func.count()).select_from(receipts)).scalar() or 0)

    def _rows(self, query: Any) -> list[Any]:
        try:
            with self._connect() as conn:
                return list(conn.execute(query))
        except (exc.OperationalError, exc.InterfaceError) as error:
            raise _unavailable(error) from None

    def _select(self, query: Any) -> list[StoredReceipt]:
        return [_stored(row) for row in self._rows(query)]

    def rows(self, query: Any) -> list[Any]:
        """Run a read-only query (used by :mod:`.stats`)."""
        return self._rows(query)

    def chunks(self, columns: Sequence[Any], chunk: int = 5000) -> Iterator[list[Any]]:
        """``columns`` of every receipt, oldest first, in lists of ``chunk`` rows."""
        last = 0
        while True:
            rows = self._rows(
                select(receipts.c.seq, *columns).where(receipts.c.seq > last).order_by(receipts.c.seq).limit(chunk)
            )
            if rows:
                yield rows
            if len(rows) < chunk:
                return
            last = rows[-1].seq

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _row(item: StoredReceipt) -> dict[str, Any]:
    r = item.receipt
    return {
        "receipt_id": item.receipt_id,
        "consent_id": r.consent_id,
        "action": r.action,
        "granted": json.dumps(list(r.granted)),
        "refused": json.dumps(list(r.refused)),
        "revision": r.revision,
        "version": r.version,
        "sha256": r.sha256,
        "gpc": r.gpc,
        "language": r.language,
        "origin": r.origin,
        "client_time": r.client_time or "",  # "" is an absent clock (the column predates absent ones)
        "server_time": item.server_time,
        "format": r.format,
    }


def _stored(row: Any) -> StoredReceipt:
    receipt = Receipt(
        consent_id=row.consent_id,
        action=row.action,
        granted=tuple(json.loads(row.granted)),
        refused=tuple(json.loads(row.refused)),
        revision=row.revision,
        version=row.version,
        sha256=row.sha256,
        gpc=bool(row.gpc),
        language=row.language,
        origin=row.origin,
        client_time=client_clock(row.client_time),  # rows from before the RFC 3339 rule read as absent
        format=row.format,
    )
    return StoredReceipt(row.receipt_id, row.server_time, receipt)


def open_store(target: str, *, migrate: bool = False) -> Store:
    """Open the receipts database at ``target``; create or upgrade its tables with ``migrate``."""
    store = Store(target)
    try:
        if migrate:
            store.migrate()
        else:
            store.check_schema()
    except BaseException:
        store.close()
        raise
    return store

"""Nothing acknowledged is lost: ``kill -9`` of the service under load, a full disk, a lost database.

The service runs as a real process (``policyforge receipts serve``) on SQLite and on a real
PostgreSQL server; every receipt answered with 201 must be in the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import http.client
import threading
import uuid
from pathlib import Path

import pytest

from policyforge.receipts.store import open_store
from tests.pgcluster import ThrowawayCluster
from tests.receipts.kit import Service, post, receipt_for

THREADS = 6
PER_THREAD = 3000  # upper bound; the senders stop at the first connection error


class Senders:
    """Threads that post receipts with fresh consent ids and remember which ones got 201."""

    def __init__(self, url: str, body: dict[str, object]) -> None:
        self.url, self.body = url, body
        self.acked: dict[str, str] = {}
        self.statuses: list[int] = []
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.enough = threading.Event()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._send, daemon=True) for _ in range(THREADS)]

    def _send(self) -> None:
        for _ in range(PER_THREAD):
            if self.stop.is_set():
                return
            consent_id = str(uuid.uuid4())
            try:
                status, answer = post(self.url, {**self.body, "consent_id": consent_id})
            except (OSError, http.client.HTTPException):
                return  # the service is gone (an answer cut short was never acknowledged)
            with self.lock:
                self.statuses.append(status)
                if status == 201:
                    self.acked[consent_id] = answer["receipt_id"]
                else:
                    self.problems += answer.get("problems", [])
                if len(self.acked) >= 300 or 503 in self.statuses:
                    self.enough.set()

    def __enter__(self) -> Senders:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for thread in self.threads:
            thread.join(60)


def assert_all_stored(db: str, acked: dict[str, str]) -> None:
    store = open_store(db)
    try:
        stored = {s.receipt.consent_id: s.receipt_id for s in store.since(dt.datetime(1970, 1, 1))}
    finally:
        store.close()
    missing = {c: r for c, r in acked.items() if stored.get(c) != r}
    assert not missing, f"{len(missing)} acknowledged receipts are lost"


def kill_under_load_and_restart(project: Path, db: str) -> None:
    service = Service(project, db).start()
    try:
        with Senders(service.url, receipt_for(project)) as senders:
            assert senders.enough.wait(120), "the service did not acknowledge receipts"
            service.kill()  # while the senders are still sending
        acked = dict(senders.acked)
        assert len(acked) >= 300
        assert set(senders.statuses) <= {201}, senders.statuses
        service.start()  # same database
        assert service.health()[1]["status"] == "ok"
        assert post(service.url, receipt_for(project, consent_id=str(uuid.uuid4())))[0] == 201
    finally:
        service.stop()
    assert_all_stored(db, acked)


def test_kill_9_and_restart_on_sqlite(project: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "receipts.sqlite3")
    kill_under_load_and_restart(project, db)
    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()


def test_kill_9_and_restart_on_postgresql(project: Path, pg_url: str) -> None:
    kill_under_load_and_restart(project, pg_url)


def test_a_full_disk_gives_503_and_loses_nothing(project: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "receipts.sqlite3")
    open_store(db, migrate=True).close()
    # Files written by the service may not grow past 512 KiB: the database hits "disk full" (EFBIG).
    service = Service(project, db, "--log-level", "error", limit_file_size=512 << 10).start()
    try:
        with Senders(service.url, receipt_for(project)) as senders:
            assert senders.enough.wait(180), "no 503 and too few receipts"
            senders.stop.set()
        assert 503 in senders.statuses, "the service never reported the full disk"
        assert any("database or disk is full" in p or "disk I/O error" in p for p in senders.problems), senders.problems
        assert set(senders.statuses) <= {201, 503}
        assert service.health()[0] in (200, 503)
    finally:
        service.kill()
    assert_all_stored(db, senders.acked)
    Service(project, db).start().stop()  # the database opens again once there is room


def test_a_lost_postgresql_connection_gives_503_then_recovers(
    project: Path, pg_url: str, pg_cluster: ThrowawayCluster
) -> None:
    service = Service(project, pg_url).start()
    acked: dict[str, str] = {}
    try:
        for _ in range(20):
            body = receipt_for(project, consent_id=str(uuid.uuid4()))
            status, answer = post(service.url, body)
            assert status == 201
            acked[body["consent_id"]] = answer["receipt_id"]
        pg_cluster.stop("immediate")  # the database crashes
        try:
            status, answer = post(service.url, receipt_for(project, consent_id=str(uuid.uuid4())))
            assert status == 503, answer
            assert "unavailable" in answer["problems"][0]
            assert service.health()[0] == 503
        finally:
            pg_cluster.start()
        body = receipt_for(project, consent_id=str(uuid.uuid4()))
        status, answer = post(service.url, body)
        assert status == 201, answer
        acked[body["consent_id"]] = answer["receipt_id"]
        assert service.health()[0] == 200
    finally:
        service.stop()
    assert_all_stored(pg_url, acked)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_database_keeps_receipts_across_a_clean_restart(
    project: Path, tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    db = str(tmp_path / "r.sqlite3") if kind == "sqlite" else request.getfixturevalue("pg_url")
    service = Service(project, db).start()
    try:
        status, answer = post(service.url, receipt_for(project))
        assert status == 201
        service.stop()  # SIGTERM: graceful
        service.start()
        assert service.health()[1]["status"] == "ok"
    finally:
        service.stop()
    store = open_store(db)
    try:
        assert [s.receipt_id for s in store.find(receipt_for(project)["consent_id"])] == [answer["receipt_id"]]
    finally:
        store.close()

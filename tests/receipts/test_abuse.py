"""The receipts service under abuse: forged headers, floods of clients, slow and broken bodies.

The service runs as a real process on loopback; clients bind distinct loopback source addresses
(127.0.0.2, 127.0.0.3) to be distinct clients. Addresses in headers are only header values.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policyforge.receipts.app import ServiceConfig, create_app
from policyforge.receipts.clients import ClientKeys
from policyforge.receipts.ledger import Ledger
from policyforge.receipts.ratelimit import RateLimiter
from policyforge.receipts.store import Store, open_store
from policyforge.source.options import read_project
from tests.logs import captured
from tests.receipts.kit import ORIGIN, Service, receipt_for

GUARD = 60  # seconds before a test that waits for an event gives up (a failure, never a verdict on speed)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "receipts.sqlite3"), migrate=True)
    yield opened
    opened.close()


def post_from(source: str, port: int, body: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """POST /receipts from the loopback address ``source``; the status and the JSON answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=GUARD, source_address=(source, 0))
    try:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        conn.request("POST", "/receipts", data, {"Content-Type": "text/plain", "Origin": ORIGIN, **(headers or {})})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def test_a_flood_with_the_products_origin_never_silences_another_visitor(project: Path, tmp_path: Path) -> None:
    service = Service(project, str(tmp_path / "r.sqlite3"), "--rate-limit", "0.01").start()  # a burst of 1
    try:
        junk = [b"{not json", b"[" * 5000, json.dumps(receipt_for(project, version="2024-01-01")).encode()]
        for body in junk * 10:  # refused bodies spend nothing
            assert post_from("127.0.0.1", service.port, body)[0] in (400, 422)
        assert post_from("127.0.0.1", service.port, receipt_for(project))[0] == 201
        for forged in ("127.0.0.9", "127.0.0.10, 127.0.0.11"):  # headers a direct client sets choose nothing
            headers = {"X-Forwarded-For": forged, "X-Real-IP": forged, "Forwarded": f"for={forged}"}
            status, answer = post_from("127.0.0.1", service.port, receipt_for(project), headers)
            assert status == 429 and answer["error"] == "too many receipts from this client"
        assert post_from("127.0.0.2", service.port, receipt_for(project))[0] == 201  # another visitor
        logged = service.log.read_text()
        assert "127.0.0.2" not in logged and "127.0.0.9" not in logged  # no client address is logged
    finally:
        service.stop()


def test_behind_a_proxy_the_configured_header_names_the_client(project: Path, tmp_path: Path) -> None:
    args = ("--rate-limit", "0.01", "--client-ip-header", "X-Real-IP")
    service = Service(project, str(tmp_path / "r.sqlite3"), *args).start()
    try:
        visitor, other = {"X-Real-IP": "127.0.0.5"}, {"X-Real-IP": "127.0.0.6"}
        assert post_from("127.0.0.1", service.port, receipt_for(project), visitor)[0] == 201
        assert post_from("127.0.0.1", service.port, receipt_for(project), visitor)[0] == 429
        assert post_from("127.0.0.1", service.port, receipt_for(project), other)[0] == 201
    finally:
        service.stop()


def scope(peer: str, **headers: str) -> dict[str, Any]:
    return {"client": (peer, 40000), "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}


def test_client_keys_are_keyed_hashes_of_the_peer_or_the_configured_header() -> None:
    direct = ClientKeys(secret=b"s" * 32)
    assert direct.key(scope("127.0.0.2", x_real_ip="127.0.0.7")) == direct.key(scope("127.0.0.2"))
    assert direct.key(scope("127.0.0.2")) != direct.key(scope("127.0.0.3"))
    assert direct.key(scope("127.0.0.2")) != ClientKeys().key(scope("127.0.0.2"))  # a secret per process
    assert b"127.0.0.2" not in direct.key(scope("127.0.0.2")) and len(direct.key(scope("127.0.0.2"))) == 16
    # an IPv6 client counts by its /64, and an IPv4-mapped address as the IPv4 one
    assert direct.key(scope("2001:db8:1:2::1")) == direct.key(scope("2001:db8:1:2:ffff::9"))
    assert direct.key(scope("2001:db8:1:2::1")) != direct.key(scope("2001:db8:1:3::1"))
    assert direct.key(scope("::ffff:127.0.0.2")) == direct.key(scope("127.0.0.2"))
    proxied = ClientKeys("X-Forwarded-For", secret=b"s" * 32)
    nearest = proxied.key(scope("127.0.0.1", x_forwarded_for="127.0.0.8"))
    assert proxied.key(scope("127.0.0.1", x_forwarded_for="127.0.0.99, 127.0.0.8")) == nearest  # the last entry
    assert proxied.key(scope("127.0.0.1", x_forwarded_for="not an address")) == proxied.key(scope("127.0.0.1"))
    assert proxied.key(scope("127.0.0.1")) == direct.key(scope("127.0.0.1"))  # no header: the peer


def test_the_limiter_holds_a_fixed_number_of_keys_after_200000_distinct_clients() -> None:
    keys, limiter = ClientKeys(), RateLimiter(rate=1, burst=1)
    for n in range(200_000):
        assert limiter.take(keys.key(scope(f"127.{n >> 16}.{n >> 8 & 255}.{n & 255}")), now=0.0) == 0.0
    assert len(limiter) == limiter.max_keys == 10_000
    newest = keys.key(scope(f"127.{199_999 >> 16}.{199_999 >> 8 & 255}.{199_999 & 255}"))
    assert limiter.wait(newest, now=0.0) == pytest.approx(1.0)  # the recent clients are still counted
    assert limiter.wait(keys.key(scope("127.0.0.0")), now=0.0) == 0.0  # the oldest was dropped: only looser


def test_only_taken_tokens_count_and_waiting_spends_nothing() -> None:
    limiter = RateLimiter(rate=10, burst=2)
    assert [limiter.wait(b"a", now=0.0) for _ in range(5)] == [0.0] * 5 and len(limiter) == 0
    assert [limiter.take(b"a", now=0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(0.1)]
    assert limiter.wait(b"a", now=0.0) == pytest.approx(0.1)


def slow_client(port: int, source: str) -> socket.socket:
    """A client that sends its headers and 10 bytes of a 400-byte body, then nothing."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=GUARD, source_address=(source, 0))
    head = f"POST /receipts HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nContent-Type: text/plain\r\n"
    sock.sendall((head + "Content-Length: 400\r\n\r\n").encode() + b'{"format":')
    return sock


def answer_of(sock: socket.socket) -> tuple[int, dict[str, Any]] | None:
    """Read until the service closes the connection: the status and the JSON body, or ``None`` when it
    dropped the connection unanswered (what libuv does to connections it cannot take without a file)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        return None
    finally:
        sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return (int(head.split()[1]), json.loads(body)) if head else None


def until_stored(port: int, body: dict[str, Any]) -> int:
    """Send ``body`` as a client would until it is stored (503 and dropped connections: again); the tries."""
    deadline = time.monotonic() + GUARD
    for tries in itertools.count(1):
        try:
            status, answer = post_from("127.0.0.3", port, body)
            if status == 201:
                return tries
            assert status == 503, answer
        except ConnectionError:
            pass
        assert time.monotonic() < deadline, "never served"
        time.sleep(0.05)
    raise AssertionError("unreachable")


def test_slow_clients_are_cut_off_and_another_client_is_served(project: Path, tmp_path: Path) -> None:
    # 150 slow connections against a service that may open 128 files: before, they held it forever
    args = ("--body-timeout", "1", "--max-concurrent", "8")
    service = Service(project, str(tmp_path / "r.sqlite3"), *args, limit_files=128).start()
    try:
        slow = [slow_client(service.port, "127.0.0.2") for _ in range(150)]
        until_stored(service.port, receipt_for(project))
        answers = [answer_of(sock) for sock in slow]  # every slow connection ends
        statuses = {answer[0] for answer in answers if answer}
        assert statuses <= {408, 503} and statuses, statuses
        cut = [body for status, body in filter(None, answers) if status == 408]
        assert cut and cut[0]["error"] == "the receipt did not arrive within 1 s"
        busy = [body for status, body in filter(None, answers) if status == 503]
        assert busy and busy[0]["error"] == "the service is busy; send the receipt again later"
        assert "Traceback" not in service.log.read_text()
        assert until_stored(service.port, receipt_for(project)) == 1  # and the service is free again
    finally:
        service.stop()


@pytest.mark.parametrize(
    "body",
    [b'{"format": ' + b"1" * 5000 + b"}", b"[" * 5000],
    ids=["5000-digit number", "5000 brackets"],
)
def test_huge_numbers_and_deep_nesting_get_a_json_400_and_no_error_log(
    project: Path, store: Store, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    from starlette.testclient import TestClient

    app = create_app(store, Ledger(read_project(project)), ServiceConfig(allow_origins=(ORIGIN,)))
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        caplog.at_level(logging.INFO),
        captured(caplog, "policyforge", logging.INFO),  # the service's own records too, whatever ran before
    ):
        answer = client.post("/receipts", content=body, headers={"content-type": "text/plain", "origin": ORIGIN})
    assert answer.status_code in (400, 422), answer.text
    assert answer.json()["error"] == "invalid receipt" and answer.json()["problems"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_client_that_disconnects_mid_body_is_one_quiet_log_line(
    project: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(store, Ledger(read_project(project)), ServiceConfig(allow_origins=(ORIGIN,)))
    messages = iter([{"type": "http.request", "body": b'{"format":', "more_body": True}, {"type": "http.disconnect"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    request = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/receipts",
        "raw_path": b"/receipts",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"origin", ORIGIN.encode()), (b"content-type", b"text/plain"), (b"content-length", b"400")],
        "client": ("127.0.0.2", 40000),
        "server": ("127.0.0.1", 8300),
    }
    # in a thread of its own: Playwright's sync API (the browser tests, in the same process) keeps an event
    # loop running in the main thread, where asyncio.run() refuses to start another
    worker = threading.Thread(target=lambda: asyncio.run(app(request, receive, send)))
    with captured(caplog, "policyforge.receipts", logging.DEBUG):
        worker.start()
        worker.join(30)
    assert not worker.is_alive()
    assert sent[0]["status"] == 400
    lines = [r for r in caplog.records if r.name == "policyforge.receipts"]
    assert [(r.levelno, r.getMessage()) for r in lines] == [(logging.INFO, "receipt refused")]
    assert lines[0].problems == ["the client disconnected before the whole receipt arrived"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]

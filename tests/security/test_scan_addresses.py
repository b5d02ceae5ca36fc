"""`policyforge scan`'s address gate: every connection resolved once, every address checked, no rebinding.

No traffic leaves loopback. Names get scripted answers (tests/e2e/scripted_network.py); 203.0.113.5
(TEST-NET-3, a documentation address, never routed) plays a public address and is only ever handed
to a code path that must not connect to it: ``outside`` records every connection attempt and refuses
any that is not loopback, so a test can also assert that nothing even tried.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from policyforge.audit.addresses import AddressGate
from policyforge.audit.egress import EgressProxy
from policyforge.audit.limits import fetch_limited
from policyforge.audit.published import fetch_gpc
from tests.e2e.scripted_network import PUBLIC, network, refuse_outside


class Counting(http.server.BaseHTTPRequestHandler):
    """Answers every GET (``/go`` redirects to ``target``) and counts the requests it got."""

    protocol_version = "HTTP/1.1"
    hits: ClassVar[list[str]] = []
    target = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b'{"gpc": true}'
        self.send_response(302 if self.path == "/go" else 200)
        if self.path == "/go":
            self.send_header("Location", self.target)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve() -> Iterator[Callable[[str], tuple[int, type[Counting]]]]:
    started: list[http.server.ThreadingHTTPServer] = []

    def start(host: str = "127.0.0.1") -> tuple[int, type[Counting]]:
        handler = type("Handler", (Counting,), {"hits": []})
        srv = http.server.ThreadingHTTPServer((host, 0), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        started.append(srv)
        return int(srv.server_address[1]), handler

    yield start
    for srv in started:
        srv.shutdown()


@pytest.fixture
def outside(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a connection was attempted to; one that is not loopback is refused, never connected."""
    attempts: list[str] = []
    monkeypatch.setattr(socket, "create_connection", refuse_outside(attempts))
    return attempts


def through_proxy(proxy: EgressProxy, request: bytes) -> bytes:
    """Send one request to the proxy and read its whole answer."""
    port = int(proxy.address.rsplit(":", 1)[1])
    with socket.socket() as client:  # not socket.create_connection: ``outside`` counts only the scan's own
        client.settimeout(10)
        client.connect(("127.0.0.1", port))
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and request.startswith(b"CONNECT"):
                break
    return answer


def proxied(gate: AddressGate, name: str, port: int) -> tuple[list[bytes], dict[str, str]]:
    """The status lines of an HTTP GET and a CONNECT to ``name:port`` through the egress proxy, and its refusals."""
    refused: dict[str, str] = {}
    proxy = EgressProxy(gate, lambda url, why: refused.setdefault(url, why)).start()
    try:
        get = through_proxy(proxy, f"GET http://{name}:{port}/page HTTP/1.1\r\nHost: {name}:{port}\r\n\r\n".encode())
        tunnel = through_proxy(proxy, f"CONNECT {name}:{port} HTTP/1.1\r\nHost: {name}:{port}\r\n\r\n".encode())
    finally:
        proxy.stop()
    return [get.split(b"\r\n", 1)[0], tunnel.split(b"\r\n", 1)[0]], refused


def test_scanned_host_that_rebinds_to_loopback_is_refused_by_the_proxy(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str]
) -> None:
    port, server = serve()
    gate = AddressGate("rebind.test", network=network({"rebind.test": [[PUBLIC], ["127.0.0.1"]]}))
    assert not gate.internal_scan  # its first answer was public: the scan is public
    statuses, refused = proxied(gate, "rebind.test", port)
    assert statuses == [b"HTTP/1.1 403 Forbidden", b"HTTP/1.1 403 Forbidden"]
    assert set(refused.values()) == {"request to an internal address (127.0.0.1)"}
    assert server.hits == [] and outside == []  # nothing connected, not even to the first (public) answer


def test_host_with_a_public_and_an_internal_address_is_public_and_refused(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str]
) -> None:
    port, server = serve()
    gate = AddressGate("mixed.test", network=network({"mixed.test": [[PUBLIC, "127.0.0.1"]]}))
    assert not gate.internal_scan  # not every address is internal: a public scan, every filter on
    statuses, refused = proxied(gate, "mixed.test", port)
    assert statuses == [b"HTTP/1.1 403 Forbidden", b"HTTP/1.1 403 Forbidden"]
    assert set(refused.values()) == {"request to an internal address (127.0.0.1)"}
    assert server.hits == [] and outside == []  # refused whole: neither address was tried
    other = AddressGate("mixed.test", network=network({"mixed.test": [[PUBLIC, "127.0.0.1"]]}))
    assert other.refuses("127.0.0.2") == "request to an internal address (127.0.0.2)" and other.refuses("localhost")


def test_internal_scan_connects_to_the_checked_address(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str]
) -> None:
    port, server = serve()
    gate = AddressGate("local.test", network=network({"local.test": [["127.0.0.1"]]}))
    assert gate.internal_scan  # every address internal: a local site, scanned as today
    statuses, refused = proxied(gate, "local.test", port)
    assert statuses == [b"HTTP/1.1 200 OK", b"HTTP/1.1 200 Connection Established"] and refused == {}
    assert server.hits == ["/page"] and outside == ["127.0.0.1", "127.0.0.1"]


def test_internal_scan_turns_public_once_the_scanned_host_resolves_to_a_public_address(outside: list[str]) -> None:
    answers = {"flip.test": [["127.0.0.1"], [PUBLIC]]}
    gate = AddressGate("flip.test", network=network(answers))
    assert gate.internal_scan and not gate.refuses("127.0.0.2")
    assert gate.check("flip.test") == [PUBLIC]  # checked, not connected
    assert not gate.internal_scan and gate.refuses("127.0.0.2") and gate.refuses("flip.test") == ""
    assert outside == []


def test_gate_classifies_the_scanned_host_by_every_address() -> None:
    def gate(*answer: str) -> AddressGate:
        return AddressGate("site.test", network=network({"site.test": [list(answer)]}))

    assert gate("127.0.0.1", "10.0.0.1").internal_scan and gate("::1").internal_scan
    assert not gate(PUBLIC, "127.0.0.1").internal_scan and not gate("127.0.0.1", PUBLIC).internal_scan
    assert not gate().internal_scan  # a name that does not resolve is not internal
    assert AddressGate("localhost").internal_scan and AddressGate("[::1]").internal_scan
    assert AddressGate("site.test", {"*.test": "127.0.0.1"}).internal_scan  # --host-resolver-rules MAP
    calls: list[str] = []
    mapped = AddressGate("a.test", {"a.test": "b.test"}, network({"b.test": [[PUBLIC]]}, calls=calls))
    assert not mapped.internal_scan and mapped.check("a.test") == [PUBLIC] and calls == ["b.test", "b.test"]
    assert AddressGate("a.test", {"*": "~NOTFOUND"}).resolve("a.test") == []


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_gpc_fetch_refuses_a_name_that_rebinds_to_loopback(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str], scheme: str
) -> None:
    port, server = serve()
    gate = AddressGate("rebind.test", network=network({"rebind.test": [[PUBLIC], ["127.0.0.1"]]}))
    status, data, problem = fetch_gpc(f"{scheme}://rebind.test:{port}/", gate=gate)
    assert (status, data) == (0, None)
    url = f"{scheme}://rebind.test:{port}/.well-known/gpc.json"
    assert problem == f"request to an internal address (127.0.0.1) refused: {url}"
    assert server.hits == [] and outside == []


def test_fetch_redirects_are_checked_on_their_own_connection(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str]
) -> None:
    internal_port, internal = serve("127.0.0.2")
    port, server = serve()
    server.target = f"http://rebind.test:{internal_port}/secret"
    answers = {"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]}  # 127.0.0.1 plays public, then the name rebinds
    gate = AddressGate("127.0.0.1", network=network(answers, public=("127.0.0.1",)))
    assert gate.refuses("rebind.test") == ""  # its first answer passes a check...
    fetched = fetch_limited(f"http://127.0.0.1:{port}/go", max_bytes=1000, seconds=5, gate=gate)
    assert fetched.body is None  # ...but the redirect's own connection resolves again and is refused
    assert fetched.problem == f"redirect to an internal address (127.0.0.2) refused: {server.target}"
    assert server.hits == ["/go"] and internal.hits == [] and outside == ["127.0.0.1"]


def test_each_connection_resolves_once_and_connects_to_the_checked_address(
    serve: Callable[..., tuple[int, type[Counting]]], outside: list[str]
) -> None:
    port, server = serve()
    calls: list[str] = []
    answers = {"two.test": [["127.0.0.1"], ["127.0.0.2"], ["127.0.0.1"]]}  # 127.0.0.1 plays public
    gate = AddressGate("two.test", network=network(answers, public=("127.0.0.1",), calls=calls))
    assert calls == ["two.test"] and not gate.internal_scan  # the scan's one classification
    fetched = fetch_limited(f"http://two.test:{port}/a", max_bytes=1000, seconds=5, gate=gate)
    assert fetched.problem == f"request to an internal address (127.0.0.2) refused: http://two.test:{port}/a"
    fetched = fetch_limited(f"http://two.test:{port}/b", max_bytes=1000, seconds=5, gate=gate)
    assert fetched.status == 200 and fetched.body == b'{"gpc": true}'
    assert calls == ["two.test"] * 3  # one resolution per connection, none between check and connect
    assert server.hits == ["/b"] and outside == ["127.0.0.1"]

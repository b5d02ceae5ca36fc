"""`policyforge scan` against hostile sites: it finishes within its limits, refuses what it must.

Every server here listens on loopback only. "Third-party" and "public" host names are mapped
to 127.0.0.1 with Chromium's --host-resolver-rules; where a scan must be public, 127.0.0.1 plays a
public address and 127.0.0.2 the internal one (tests/e2e/scripted_network.py).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import jsonschema
import pytest

from policyforge.audit.addresses import AddressGate, is_internal
from policyforge.audit.limits import fetch_limited
from policyforge.audit.scan import fetch_gpc
from tests.conftest import ROOT
from tests.e2e.scan_kit import Run, scan
from tests.e2e.scripted_network import PUBLIC, network

pytestmark = pytest.mark.e2e
SCHEMA = json.loads((ROOT / "policyforge" / "audit" / "scan.schema.json").read_text(encoding="utf-8"))
MB = 1024 * 1024


class Hostile(http.server.BaseHTTPRequestHandler):
    """Pages and resources that misbehave; counts what it sent."""

    protocol_version = "HTTP/1.1"
    pages: ClassVar[dict[str, str]] = {}
    sent: ClassVar[dict[str, int]] = {}
    internal_port = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, name: str, total: int, chunk: bytes, pause: float, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(total))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.sent[name] = 0
        try:
            while self.sent[name] < total:
                self.wfile.write(chunk)
                self.wfile.flush()
                self.sent[name] += len(chunk)
                if pause:
                    time.sleep(pause)
        except OSError:
            pass

    def do_GET(self) -> None:
        self.sent["requests"] = self.sent.get("requests", 0) + 1
        path = self.path.split("?", 1)[0]
        if path == "/.well-known/gpc.json" and "slow" in self.headers.get("Host", "") + self.pages.get("mode", ""):
            self._stream("slow-gpc", 1000, b" ", 3.0, Content_Type="application/json")
        elif path == "/.well-known/gpc.json" and self.pages.get("mode") == "huge":
            self._stream("huge-gpc", 200 * MB, b" " * 65536, 0.0, Content_Type="application/json")
        elif path == "/.well-known/gpc.json":
            self._send(200, b'{"gpc": true, "lastUpdate": "2025-01-01"}', "application/json")
        elif path == "/big.bin":
            self._stream(
                "download",
                200 * MB,
                b"\0" * 65536,
                0.0,
                Content_Type="application/octet-stream",
                Content_Disposition='attachment; filename="big.bin"',
            )
        elif path == "/go":
            self._send(302, b"", Location=f"http://127.0.0.2:{self.internal_port}/secret")
        elif path == "/secret":
            self.sent["secret"] = self.sent.get("secret", 0) + 1
            self._send(
                200,
                b"<title>secret</title><script>localStorage.setItem('internal-secret', '1')</script>"
                b"<a href='/more-secret'>more</a>",
            )
        elif path in self.pages:
            self._send(200, self.pages[path].encode())
        else:
            self._send(404, b"not found")

    def do_POST(self) -> None:
        self._send(204, b"")


def serve(pages: dict[str, str], host: str = "127.0.0.1") -> tuple[http.server.ThreadingHTTPServer, type[Hostile]]:
    handler = type("Handler", (Hostile,), {"pages": dict(pages), "sent": {}})
    srv = http.server.ThreadingHTTPServer((host, 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, handler


@pytest.fixture
def servers() -> Iterator[list[http.server.ThreadingHTTPServer]]:
    started: list[http.server.ThreadingHTTPServer] = []
    yield started
    for srv in started:
        srv.shutdown()


def start(
    servers: list[http.server.ThreadingHTTPServer], pages: dict[str, str], host: str = "127.0.0.1"
) -> tuple[int, type[Hostile]]:
    srv, handler = serve(pages, host)
    servers.append(srv)
    return int(srv.server_address[1]), handler


def resolver(*names: str) -> str:
    return "--chromium-arg=--host-resolver-rules=" + ", ".join(f"MAP {n} 127.0.0.1" for n in names)


def check_schema(run: Run) -> dict[str, Any]:
    report = run.report
    jsonschema.validate(report, SCHEMA)
    return report


def test_endless_loop_after_load_ends_within_the_deadline(servers: list[Any]) -> None:
    looping = (
        "<title>loop</title><script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50))</script>"
    )
    port, _ = start(servers, {"/": looping})
    run = scan(f"http://127.0.0.1:{port}/", "--json", "--timeout", "30")
    assert run.code == 2, run.stderr
    report = check_schema(run)
    assert "did not answer" in report["incomplete"] and "ERROR: the scan did not finish" in run.stderr


def test_gpc_json_fetch_limits(servers: list[Any]) -> None:
    port, handler = start(servers, {"mode": "slow"})
    _, data, problem = fetch_gpc(f"http://127.0.0.1:{port}/", seconds=4)  # how fast: bench/bench_scan.py
    assert data is None and "time limit" in problem
    port, handler = start(servers, {"mode": "huge"})
    _, data, problem = fetch_gpc(f"http://127.0.0.1:{port}/")
    assert data is None and "larger than 64 KB" in problem
    assert handler.sent.get("huge-gpc", 0) < 20 * MB  # given up early: never read whole


def test_redirect_of_a_fetch_to_an_internal_address_is_refused(servers: list[Any]) -> None:
    internal_port, internal = start(servers, {}, host="127.0.0.2")
    port, handler = start(servers, {})
    handler.internal_port = internal_port
    public = AddressGate("127.0.0.1", network=network({}, public=("127.0.0.1",)))  # 127.0.0.1 plays public
    fetched = fetch_limited(f"http://127.0.0.1:{port}/go", max_bytes=1000, seconds=5, gate=public)
    assert fetched.body is None and "redirect to an internal address (127.0.0.2) refused" in fetched.problem
    assert "secret" not in internal.sent
    local = AddressGate("127.0.0.1")  # an internal scan may redirect within the machine
    allowed = fetch_limited(f"http://127.0.0.1:{port}/go", max_bytes=1000, seconds=5, gate=local)
    assert allowed.status == 200 and allowed.body is not None and b"secret" in allowed.body


def test_address_classes() -> None:
    for address in (
        "127.0.0.2",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
    ):
        assert is_internal(address), address
    assert not is_internal("93.184.216.34") and not is_internal("2606:4700::1")  # classified, never contacted
    assert AddressGate("localhost").internal_scan and AddressGate("127.0.0.9").internal_scan
    assert not AddressGate("site.invalid").internal_scan


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Scans two at a time: trackers on side channels + a download; internal redirects; slow and huge gpc.json;
    a scanned name that rebinds to loopback and one with a public and a loopback address."""
    started: list[http.server.ThreadingHTTPServer] = []
    internal_port, internal = start(started, {}, host="127.0.0.2")
    trackers = """<title>channels</title><a id="dl" href="/big.bin" download>file</a><script>
      const t = "tracker.test:" + location.port;
      new WebSocket("ws://" + t + "/socket");
      new EventSource("http://" + t + "/events");
      addEventListener("load", () => { navigator.sendBeacon("http://" + t + "/beacon", "hit");
                                         document.getElementById("dl").click(); });
    </script>"""
    port_a, handler_a = start(started, {"/": trackers})
    redirecting = f"<title>public</title><a href='/go'>go</a><img src='http://127.0.0.2:{internal_port}/pixel.gif'>"
    port_b, handler_b = start(started, {"/": redirecting})
    handler_b.internal_port = internal_port
    port_c, _ = start(started, {"/": "<title>slow gpc</title>", "mode": "slow"})
    port_d, handler_d = start(started, {"/": "<title>huge gpc</title>", "mode": "huge"})
    escapes = (
        "<title>escapes</title><script>"
        "localStorage.setItem('\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mkey\\nNo findings.', '1');"
        "document.cookie = 'c\\x1b[32mgreen=1; path=/';</script>"
    )
    port_e, _ = start(started, {"/": escapes})
    port_f, handler_f = start(started, {"/": "<title>rebinding</title>"})
    jobs = {
        "channels": (f"http://127.0.0.1:{port_a}/", resolver("tracker.test")),
        "redirect": (f"http://public-site.test:{port_b}/", resolver("public-site.test")),
        "slow": (f"http://127.0.0.1:{port_c}/", "--timeout", "40"),
        "huge": (f"http://127.0.0.1:{port_d}/",),
        "rebind": (f"http://rebind.test:{port_f}/",),
        "mixed": (f"http://mixed.test:{port_f}/",),
    }
    networks: dict[str, dict[str, Any]] = {
        "redirect": {"public": ["127.0.0.1"]},  # public-site.test is MAPped to it: a public scan
        "rebind": {"answers": {"rebind.test": [[PUBLIC], ["127.0.0.1"]]}},  # first answer public, then loopback
        "mixed": {"answers": {"mixed.test": [[PUBLIC, "127.0.0.1"]]}},
    }
    text_jobs = {"escapes": (f"http://127.0.0.1:{port_e}/",)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(scan, args[0], "--json", *args[1:], network=networks.get(name))
            for name, args in jobs.items()
        }
        futures |= {name: pool.submit(scan, *args) for name, args in text_jobs.items()}
        results: dict[str, Any] = {name: f.result() for name, f in futures.items()}
    results["sent"] = {
        "channels": handler_a.sent,
        "internal": internal.sent,
        "huge": handler_d.sent,
        "rebinding": handler_f.sent,
    }
    yield results
    for srv in started:
        srv.shutdown()


def test_websocket_eventsource_and_beacon_trackers_are_reported(hostile_runs: dict[str, Any]) -> None:
    run = hostile_runs["channels"]
    report = check_schema(run)
    assert {"third-party-websocket", "third-party-eventsource", "third-party-beacon"} <= set(run.rules())
    assert any("WebSocket to tracker.test" in d for d in run.details("third-party-websocket"))
    kinds = {c["kind"] for c in report["states"]["before"]["channels"]}
    assert kinds == {"WebSocket", "EventSource", "beacon"}


def test_downloads_are_refused(hostile_runs: dict[str, Any]) -> None:
    assert hostile_runs["channels"].code in (0, 1)
    assert hostile_runs["sent"]["channels"].get("download", 0) < 20 * MB


def test_redirects_and_requests_to_internal_addresses_are_refused(hostile_runs: dict[str, Any]) -> None:
    run = hostile_runs["redirect"]
    report = check_schema(run)
    refused = {r["url"]: r["reason"] for r in report["refused"]}
    assert any(u.endswith("/pixel.gif") and "127.0.0.2" in u for u in refused), refused
    assert any(u.endswith("/secret") for u in refused), refused
    assert all("127.0.0.2" not in p for p in report["pages"])
    seen = [k for state in report["states"].values() for k in state["localStorage"]]
    assert "internal-secret" not in seen
    assert "more-secret" not in run.stdout
    assert "secret" not in hostile_runs["sent"]["internal"]  # the internal server was never reached


@pytest.mark.parametrize("name", ["rebind", "mixed"])
def test_scanned_host_resolving_to_loopback_after_a_public_answer_is_refused(
    hostile_runs: dict[str, Any], name: str
) -> None:
    run = hostile_runs[name]  # rebind: first answer public, then 127.0.0.1; mixed: both in one answer
    assert run.code == 2, run.stderr
    assert f"ERROR: cannot open http://{name}.test:" in run.stderr
    assert "request to an internal address (127.0.0.1)" in run.stderr and "hint:" not in run.stderr
    assert hostile_runs["sent"]["rebinding"].get("requests", 0) == 0  # the loopback server was never reached


def test_slow_and_huge_gpc_json_do_not_hold_the_scan(hostile_runs: dict[str, Any]) -> None:
    slow, huge = hostile_runs["slow"], hostile_runs["huge"]
    assert slow.code == 1
    assert any("time limit" in d for d in slow.details("gpc-json-missing"))
    assert huge.code == 1 and any("larger than 64 KB" in d for d in huge.details("gpc-json-missing"))
    assert hostile_runs["sent"]["huge"].get("huge-gpc", 0) < 20 * MB


def test_sandbox_state_is_reported(hostile_runs: dict[str, Any]) -> None:
    run = hostile_runs["huge"]
    if os.geteuid() == 0:
        assert run.report["sandbox"] is False
        assert "warning: running as root: Chromium's sandbox cannot start" in run.stderr
    else:
        assert run.report["sandbox"] is True and "sandbox" not in run.stderr


def test_escapes_set_by_the_scanned_page_never_reach_the_terminal(hostile_runs: dict[str, Any]) -> None:
    run = hostile_runs["escapes"]
    assert run.code == 1, run.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", run.stdout + run.stderr), repr(run.stdout)
    lines = run.stdout.splitlines()
    assert "]0;pwned[2J[31mkey\\nNo findings." in run.stdout  # shown, harmless, on one line
    assert not any(line.startswith("No findings.") for line in lines)
    assert lines[-1].endswith("finding(s).")

"""`policyforge serve` answers only Host headers naming its own address (DNS rebinding)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyforge.mkdocs_plugin.hosts import host_allowed
from tests.conftest import FIXTURES, copy_project
from tests.site.test_serve import free_port


def raw_get(port: int, host: str, path: str = "/") -> tuple[int, bytes]:
    """Send a raw HTTP/1.1 request to 127.0.0.1:port with the given Host header; return status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_foreign_host_header_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", FIXTURES / "valid-tiny").parent
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policyforge", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = raw_get(port, f"127.0.0.1:{port}")
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)
        assert status == 200 and b"Tiny App" in body
        assert raw_get(port, f"localhost:{port}")[0] == 200
        for foreign in (
            f"rebind.attacker.example:{port}",
            "rebind.attacker.example",
            f"127.0.0.2:{port}",
            f"127.0.0.1:{port + 1}",
            "",
        ):
            status, body = raw_get(port, foreign)
            assert status == 421, foreign
            assert b"Tiny App" not in body
        assert raw_get(port, f"evil.example:{port}", "/draft/")[0] == 421
        assert raw_get(port, f"evil.example:{port}", "/livereload/1/1")[0] == 421
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize(
    ("header", "listen", "ok"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("LOCALHOST.:8000", "127.0.0.1", True),
        ("127.0.0.1:8001", "127.0.0.1", False),
        ("127.0.0.1", "127.0.0.1", False),
        ("attacker.example:8000", "127.0.0.1", False),
        ("[::1]:8000", "::1", True),
        ("localhost:8000", "::1", True),
        ("[::1]:8000", "127.0.0.1", False),
        ("127.0.0.5:8000", "0.0.0.0", True),
        ("attacker.example:8000", "0.0.0.0", False),
        ("docs.test:8000", "docs.test", True),
        ("127.0.0.1:80:8000", "127.0.0.1", False),
        ("[::1:8000", "::1", False),
    ],
)
def test_host_rule(header: str, listen: str, ok: bool) -> None:
    assert host_allowed(header, listen, 8000) is ok

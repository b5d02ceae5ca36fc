"""The scan's egress filter: a small local HTTP proxy that refuses internal addresses.

When the scanned URL is public, Chromium sends every request through this proxy (on 127.0.0.1,
``--proxy-server`` with loopback not bypassed). Each connection's host is resolved here and
refused when it is loopback, private, link-local or otherwise internal, so a redirect hop, an
image or a script pointing into the machine's network never reaches it: Chromium cannot follow
what the proxy does not connect. The scanned host itself is always allowed (the user chose it).
``MAP name ip`` rules of Chromium's ``--host-resolver-rules`` are honoured, so tests can point
names at loopback.
"""

from __future__ import annotations

import contextlib
import fnmatch
import socket
import socketserver
import threading
from collections.abc import Callable

from .limits import is_internal

__all__ = ["EgressProxy", "resolver_map"]

MAX_HEAD = 65536


def resolver_map(chromium_args: tuple[str, ...]) -> dict[str, str]:
    """The ``MAP name ip`` rules of a ``--host-resolver-rules=...`` flag, name → address."""
    rules: dict[str, str] = {}
    for arg in chromium_args:
        if arg.startswith("--host-resolver-rules="):
            for rule in arg.split("=", 1)[1].split(","):
                parts = rule.split()
                if len(parts) == 3 and parts[0].upper() == "MAP":
                    rules[parts[1].lower()] = parts[2].rsplit(":", 1)[0] if parts[2].count(":") == 1 else parts[2]
    return rules


class EgressProxy:
    """A forward proxy (HTTP and CONNECT) on 127.0.0.1 that refuses internal destinations."""

    def __init__(
        self, allowed_host: str, on_refused: Callable[[str, str], None], rules: dict[str, str] | None = None
    ) -> None:
        self.allowed_host = allowed_host.lower()
        self.on_refused = on_refused
        self.rules = rules or {}
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler, bind_and_activate=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="policyforge-egress", daemon=True)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> EgressProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def resolve(self, host: str) -> list[str]:
        """Addresses of ``host``: a ``MAP`` rule, an IP literal, or the system resolver."""
        name = host.strip("[]").lower().rstrip(".")
        for pattern, address in self.rules.items():
            if fnmatch.fnmatchcase(name, pattern):
                return [address]
        try:
            return [str(info[4][0]) for info in socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)]
        except (OSError, UnicodeError):
            return []

    def _connect(self, host: str, port: int, shown: str) -> socket.socket | None:
        addresses = self.resolve(host)
        if not addresses:
            return None
        if host.strip("[]").lower() != self.allowed_host and any(is_internal(a) for a in addresses):
            self.on_refused(shown, "request to an internal address")
            return None
        try:
            return socket.create_connection((addresses[0], port), timeout=15)
        except OSError:
            return None

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(30)
        head = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in head and len(head) < MAX_HEAD:
                chunk = client.recv(8192)
                if not chunk:
                    return
                head += chunk
        line, _, rest = head.partition(b"\r\n")
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            return
        method, target, version = parts
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = self._connect(host, int(port) if port.isdigit() else 443, f"https://{target}/")
            if upstream is None:
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            upstream.sendall(head.partition(b"\r\n\r\n")[2])
        else:
            if not target.startswith("http://"):
                return
            authority, _, path = target[len("http://") :].partition("/")
            host, _, port = authority.rpartition(":") if authority.rsplit(":", 1)[-1].isdigit() else (authority, "", "")
            upstream = self._connect(host, int(port) if port else 80, target)
            if upstream is None:
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            headers = [
                h for h in rest.split(b"\r\n") if not h.lower().startswith((b"proxy-connection:", b"connection:"))
            ]
            upstream.sendall(
                f"{method} /{path} {version}\r\n".encode("latin-1") + b"Connection: close\r\n" + b"\r\n".join(headers)
            )
        _pipe(client, upstream)


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""

    def copy(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    client.settimeout(None)
    upstream.settimeout(None)
    other = threading.Thread(target=copy, args=(upstream, client), daemon=True)
    other.start()
    copy(client, upstream)
    other.join(60)
    for sock in (client, upstream):
        with contextlib.suppress(OSError):
            sock.close()

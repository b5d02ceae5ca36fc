"""The scan's egress filter: a small local HTTP proxy that connects only where the scan may go.

Chromium sends every request of a scan through this proxy (on 127.0.0.1, ``--proxy-server`` with
loopback not bypassed). Each connection is opened by :meth:`AddressGate.connect
<policyforge.audit.addresses.AddressGate.connect>`: its host is resolved here, every address is
checked, and the proxy connects to a checked address. In a public scan a host resolving to a
loopback, private, link-local or otherwise internal address is refused, the scanned host included,
so a redirect hop, an image or a script pointing into the machine's network, or a name that
rebinds to it, never reaches it: Chromium cannot follow what the proxy does not connect.
``MAP name ip`` rules of Chromium's ``--host-resolver-rules`` are honoured by the gate, so tests
can point names at loopback.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable

from .addresses import AddressGate, Refused

__all__ = ["EgressProxy"]

MAX_HEAD = 65536


class EgressProxy:
    """A forward proxy (HTTP and CONNECT) on 127.0.0.1 whose every connection passes ``gate``."""

    def __init__(self, gate: AddressGate, on_refused: Callable[[str, str], None]) -> None:
        self.gate = gate
        self.on_refused = on_refused
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

    def _connect(self, host: str, port: int, shown: str) -> socket.socket | None:
        try:
            return self.gate.connect(host, port, timeout=15)
        except Refused as refusal:
            self.on_refused(shown, refusal.reason)
        except OSError:
            pass
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

"""``policyforge serve`` answers only requests whose Host header names the address it listens on.

A page on another site can point a DNS name it controls at 127.0.0.1 ("DNS rebinding") and
then read what the dev server shows, drafts included: its requests carry that name in the
Host header. Such requests get ``421 Misdirected Request``. Accepted are the listening address
itself, ``localhost`` when listening on loopback, and, when listening on every interface, any IP
address and this machine's host name (an IP literal cannot be rebound).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["host_allowed", "only_own_host"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_REFUSED = (
    b"421 Misdirected Request: this development server only answers requests addressed to it by "
    b"its own address (see the Host header rule in docs/security.md).\n"
)


def _split(host_header: str) -> tuple[str, int | None]:
    """``host:port`` (``[v6]:port``) → (lower-case host without brackets, port or None)."""
    host, port = host_header.strip().lower(), None
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return "", None
        rest, host = host[end + 1 :], host[1:end]
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        elif rest:
            return "", None
    elif host.count(":") == 1:
        host, _, digits = host.partition(":")
        if not digits.isdigit():
            return "", None
        port = int(digits)
    return host.rstrip("."), port


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_allowed(host_header: str, listen_host: str, listen_port: int) -> bool:
    """Whether a request with ``host_header`` is addressed to a server listening on ``listen_host:listen_port``."""
    host, port = _split(host_header)
    if not host or (port if port is not None else 80) != listen_port:
        return False
    listen_ip = _ip(listen_host)
    asked_ip = _ip(host)
    if listen_ip is not None and listen_ip.is_unspecified:  # 0.0.0.0 or :: : every interface
        return asked_ip is not None or host in ("localhost", socket.gethostname().lower())
    if listen_ip is None:  # listening on a name: that name
        return host == listen_host.lower().rstrip(".")
    if asked_ip is not None:
        return asked_ip == listen_ip
    return host == "localhost" and listen_ip.is_loopback


def only_own_host(app: WSGIApp, address: Callable[[], tuple[str, int]]) -> WSGIApp:
    """Wrap a WSGI ``app``: requests with a foreign Host header get 421 and never reach it."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        listen_host, listen_port = address()
        if not host_allowed(str(environ.get("HTTP_HOST", "")), listen_host, listen_port):
            start_response(
                "421 Misdirected Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(_REFUSED)))],
            )
            return [_REFUSED]
        return app(environ, start_response)

    return guarded

"""Who sent a request, as the rate limit's key: a keyed hash, never the address itself.

The client is the socket's peer, unless the service was told which header its reverse proxy
sets to the visitor's address (``--client-ip-header X-Real-IP``): behind a proxy every peer is
the proxy. The header is read only when configured, so a client that reaches the service
directly cannot pick its key by sending one. In a list (``X-Forwarded-For``) the last entry
counts, the one the nearest proxy wrote; a value that is not an IP address counts as the peer.
An IPv6 address counts by its /64 network, what one subscriber is given, so a client cannot get
a new allowance for each of its addresses.

The key is a BLAKE2b hash of the address keyed with a secret drawn when the process starts:
the address is neither logged nor stored, and a key means nothing to anyone else or after a
restart.
"""

from __future__ import annotations

import hashlib
import secrets
import socket
from collections.abc import Mapping
from typing import Any

__all__ = ["ClientKeys", "client_network"]

_IPV4_MAPPED = bytes(10) + b"\xff\xff"  # ::ffff:a.b.c.d is the IPv4 client a.b.c.d


def client_network(value: str) -> bytes | None:
    """The packed address that identifies a client (an IPv6 one: its /64), or ``None`` if not an address."""
    value = value.strip()
    try:
        return socket.inet_pton(socket.AF_INET, value)
    except OSError:
        pass
    try:
        packed = socket.inet_pton(socket.AF_INET6, value)
    except OSError:
        return None
    return packed[12:] if packed.startswith(_IPV4_MAPPED) else packed[:8]


class ClientKeys:
    """The rate-limit key of a request: from the socket peer, or from ``header`` when one is named."""

    def __init__(self, header: str | None = None, secret: bytes | None = None) -> None:
        self.header = header.strip().lower().encode("latin-1") if header else None
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    def _address(self, scope: Mapping[str, Any]) -> bytes:
        peer = scope.get("client")
        peer_address = client_network(str(peer[0])) if peer else None
        if self.header is not None:
            values = [value for name, value in scope.get("headers", ()) if name == self.header]
            if values:
                nearest = values[-1].decode("latin-1").rsplit(",", 1)[-1]
                return client_network(nearest) or peer_address or b""
        return peer_address or b""

    def key(self, scope: Mapping[str, Any]) -> bytes:
        """16 bytes that stand for the client of the ASGI ``scope`` in this process only."""
        return hashlib.blake2b(self._address(scope), key=self._secret, digest_size=16).digest()

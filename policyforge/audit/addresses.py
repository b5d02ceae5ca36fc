"""Which addresses a scan may connect to, checked again on every connection.

Every connection a scan opens (the egress proxy's, for Chromium; the ``gpc.json`` fetch's and its
redirects') goes through :meth:`AddressGate.connect`: the host name is resolved once, every address
of that answer is checked, and the connection goes to one of those very addresses. Nothing
resolves the name a second time between the check and the connection, so a name cannot answer
the check with a public address and the connection with ``127.0.0.1`` (DNS rebinding).

The scanned host sets the scan's mode, once, at its start. It counts as *internal* (a site served
on this machine or in this network, which may then use internal addresses freely) only when every
address it resolves to is internal. Otherwise the scan is *public*: a connection is refused, before
anything is connected, when any address its name resolves to at that moment is internal, the
scanned host's own connections included. An internal scan turns public for good the first time the
scanned host resolves to a public address.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["SYSTEM_NETWORK", "AddressGate", "Network", "Refused", "is_internal", "resolver_map", "system_lookup"]


def is_internal(address: str) -> bool:
    """Whether an IP address is not on the public internet (loopback, private, link-local, ...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def system_lookup(name: str) -> list[str]:
    """The addresses the system resolver gives for ``name``, in its order (none when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


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


@dataclass(frozen=True)
class Network:
    """How a scan resolves names and which addresses it counts as internal (tests script both)."""

    lookup: Callable[[str], list[str]] = system_lookup
    internal: Callable[[str], bool] = is_internal


SYSTEM_NETWORK = Network()


class Refused(Exception):
    """A connection the gate does not allow: its name resolved to the internal ``address``."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.reason = f"request to an internal address ({address})"
        super().__init__(self.reason)


def _name(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


class AddressGate:
    """The scan's one decision on where connections may go (see the module's docstring)."""

    def __init__(
        self, scanned_host: str, rules: Mapping[str, str] | None = None, network: Network = SYSTEM_NETWORK
    ) -> None:
        self.scanned_host = _name(scanned_host)
        self.rules = dict(rules or {})
        self.network = network
        addresses = self.resolve(self.scanned_host)
        self.internal_scan = bool(addresses) and all(network.internal(a) for a in addresses)

    def resolve(self, host: str, *, mapped: bool = True) -> list[str]:
        """Addresses of ``host`` now: an IP literal, ``localhost``, a ``MAP`` rule or the network's lookup.

        A rule mapping to a name (not an address) resolves that name; ``~NOTFOUND`` resolves to nothing.
        """
        name = _name(host)
        try:
            return [str(ipaddress.ip_address(name.split("%", 1)[0]))]
        except ValueError:
            pass
        if name == "localhost" or name.endswith(".localhost"):
            return ["127.0.0.1", "::1"]
        for pattern, target in self.rules.items() if mapped else ():
            if fnmatch.fnmatchcase(name, pattern):
                return [] if target.upper() == "~NOTFOUND" else self.resolve(target, mapped=False)
        return self.network.lookup(name)

    def check(self, host: str) -> list[str]:
        """Resolve ``host`` once and return the addresses a connection may use; raise :class:`Refused`."""
        addresses = self.resolve(host)
        internal = [a for a in addresses if self.network.internal(a)]
        if self.internal_scan and _name(host) == self.scanned_host and len(internal) < len(addresses):
            self.internal_scan = False  # the scanned host answered with a public address: public from now on
        if internal and not self.internal_scan:
            raise Refused(internal[0])
        return addresses

    def refuses(self, host: str) -> str:
        """Why a connection to ``host`` would be refused now, or "" (for reporting; connects nowhere)."""
        if self.internal_scan and _name(host) != self.scanned_host:
            return ""  # an internal scan refuses nothing; only the scanned host's answers can change that
        try:
            self.check(host)
        except Refused as refusal:
            return refusal.reason
        return ""

    def connect(self, host: str, port: int, timeout: float) -> socket.socket:
        """A TCP connection to one of the addresses :meth:`check` allowed, in the resolver's order.

        Raises :class:`Refused`, or :class:`OSError` when the name does not resolve or no address answers.
        """
        addresses = self.check(host)
        problem: OSError = OSError(f"{host} does not resolve")
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout=timeout)
            except OSError as exc:
                problem = exc
        raise problem

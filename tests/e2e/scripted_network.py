"""A scripted network for the scan's tests, which must never send traffic beyond loopback.

:func:`network` gives names scripted answers and lets chosen addresses play public ones (such as
203.0.113.5, a documentation address that is never routed, or 127.0.0.1 playing a public site);
:func:`refuse_outside` makes every connection attempt to an address that is not loopback fail
without connecting. Run as ``python -m tests.e2e.scripted_network scan URL ...``, it is
``policyforge scan`` with both in place, the network read as JSON from ``PF_TEST_NETWORK``:
``{"answers": {name: [answer, ...]}, "public": [address, ...]}``.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import socket
from typing import Any

from policyforge.audit import scan as scan_mod
from policyforge.audit.addresses import Network, is_internal, system_lookup
from policyforge.cli.main import main

PUBLIC = "203.0.113.5"


def network(
    answers: dict[str, list[list[str]]], public: tuple[str, ...] = (PUBLIC,), calls: list[str] | None = None
) -> Network:
    """Each name of ``answers`` gets its answers in turn (the last one repeats); ``public`` plays public.

    Names not in ``answers`` go to the system resolver. Every lookup is appended to ``calls``.
    """
    left = {name: list(seq) for name, seq in answers.items()}

    def lookup(name: str) -> list[str]:
        if calls is not None:
            calls.append(name)
        seq = left.get(name)
        if seq is None:
            return system_lookup(name)
        return seq.pop(0) if len(seq) > 1 else seq[0]

    return Network(lookup=lookup, internal=lambda address: address not in public and is_internal(address))


def refuse_outside(attempts: list[str]) -> Any:
    """A ``socket.create_connection`` that records each address and connects to loopback only."""
    real = socket.create_connection

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(f"the test refused to connect to {address[0]}")
        return real(address, *args, **kwargs)

    return create_connection


if __name__ == "__main__":
    spec = json.loads(os.environ["PF_TEST_NETWORK"])
    socket.create_connection = refuse_outside([])
    scripted = network(spec.get("answers", {}), tuple(spec.get("public", [PUBLIC])))
    scan_mod.scan_site = functools.partial(scan_mod.scan_site, network=scripted)  # type: ignore[assignment]
    main()

"""Limits that keep ``policyforge scan`` in control of hostile sites.

* :class:`Watchdog`: an overall deadline and a per-step timeout around every browser call. A
  call the browser never answers (``page.evaluate`` on a page stuck in an endless loop has no
  timeout of its own) is ended by killing the browser process; the scan then stops and says why.
* :func:`fetch_limited`: an HTTP GET with a size cap, a total time limit (a server sending one
  byte every few seconds is given up), and every connection, redirect hops included, made
  through the scan's :class:`~policyforge.audit.addresses.AddressGate`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .addresses import AddressGate, Refused

__all__ = ["Fetched", "ScanStopped", "Watchdog", "fetch_limited"]


class ScanStopped(BaseException):
    """The watchdog ended the browser. A BaseException, so the page steps' ``except Exception`` let it through."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Watchdog:
    """Overall deadline plus per-step timeouts; kills the browser process when one passes."""

    def __init__(self, total_seconds: float, step_seconds: float) -> None:
        self.deadline = time.monotonic() + total_seconds
        self.total_seconds = total_seconds
        self.step_seconds = step_seconds
        self.reason: str | None = None
        self._step: tuple[str, float] | None = None
        self._pid: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="policyforge-scan-watchdog", daemon=True)

    def start(self, browser_pid: int | None) -> None:
        """Watch the browser process ``browser_pid`` (None: only the deadline is checked between steps)."""
        self._pid = browser_pid
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def timeout_ms(self, cap_ms: float | None = None) -> float:
        """A Playwright timeout for the next call: the step time, never past the overall deadline."""
        limit = min(self.step_seconds, max(self.remaining(), 0.001)) * 1000
        return max(1.0, min(limit, cap_ms) if cap_ms is not None else limit)

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        """Run one browser call under the step timeout and the overall deadline."""
        self.check()
        self._step = (what, min(time.monotonic() + self.step_seconds, self.deadline))
        try:
            yield
        finally:
            self._step = None
            self.check()

    def check(self) -> None:
        """Raise :class:`ScanStopped` when the watchdog fired or the deadline passed."""
        if self.reason is None and time.monotonic() >= self.deadline:
            self.reason = f"the scan reached its --timeout of {self.total_seconds:g} s"
        if self.reason is not None:
            raise ScanStopped(self.reason)

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            now, step = time.monotonic(), self._step
            if step is not None and now >= step[1]:
                self.reason = (
                    f"the scan reached its --timeout of {self.total_seconds:g} s"
                    if now >= self.deadline
                    else f"the page did not answer within {self.step_seconds:g} s while the scan was "
                    f"{step[0]} (a script that never yields?)"
                )
                self._kill()
                return

    def _kill(self) -> None:
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self._pid, signal.SIGKILL)


@dataclass
class Fetched:
    """What :func:`fetch_limited` got: an HTTP status (0: none), the body, or why it stopped."""

    status: int = 0
    body: bytes | None = None
    problem: str = ""


def fetch_limited(url: str, *, max_bytes: int, seconds: float, gate: AddressGate, max_redirects: int = 5) -> Fetched:
    """GET ``url`` with a size cap and a total time limit; every hop connects only where ``gate`` allows.

    Each hop's host is resolved once by the gate and the connection goes to an address it checked,
    so a redirect, or a name that rebinds, to an internal address in a public scan is refused.
    """
    result = Fetched(problem=f"time limit of {seconds:g} s reached")
    holder: dict[str, http.client.HTTPConnection] = {}

    def run() -> None:
        nonlocal result
        result = _fetch(url, max_bytes, time.monotonic() + seconds, gate, max_redirects, holder)

    worker = threading.Thread(target=run, name="policyforge-fetch", daemon=True)
    worker.start()
    worker.join(seconds + 0.5)
    if worker.is_alive():  # stuck in a blocking call: close the socket under it and give up
        conn = holder.get("conn")
        if conn is not None and conn.sock is not None:
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)  # unblocks the worker's recv
        return Fetched(problem=f"time limit of {seconds:g} s reached")
    return result


class _GatedHTTP(http.client.HTTPConnection):
    """An HTTP connection whose TCP connection is opened by the gate (no resolution of its own)."""

    gate: AddressGate

    def connect(self) -> None:
        self.sock = self.gate.connect(self.host, self.port, self.timeout or 5.0)


class _GatedHTTPS(http.client.HTTPSConnection, _GatedHTTP):
    """HTTPS over a gated connection: ``HTTPSConnection.connect`` wraps what ``_GatedHTTP.connect`` opened."""


def _fetch(
    url: str,
    max_bytes: int,
    deadline: float,
    gate: AddressGate,
    max_redirects: int,
    holder: dict[str, http.client.HTTPConnection],
) -> Fetched:
    for hop in range(max_redirects + 1):
        parts = urlsplit(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return Fetched(problem="time limit reached")
        if parts.scheme not in ("http", "https"):
            return Fetched(problem=f"redirect to a non-HTTP address refused: {url}")
        cls = _GatedHTTPS if parts.scheme == "https" else _GatedHTTP
        conn = cls(parts.hostname or "", parts.port, timeout=min(remaining, 5.0))
        conn.gate = gate
        holder["conn"] = conn
        try:
            conn.request(
                "GET",
                (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                headers={"Accept": "application/json", "User-Agent": "policyforge-scan"},
            )
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                return Fetched(response.status, None, f"larger than {max_bytes // 1024} KB ({declared} bytes)")
            body = b""
            while True:
                if time.monotonic() > deadline:
                    return Fetched(response.status, None, "time limit reached while reading")
                chunk = response.read1(16384)
                if not chunk:
                    return Fetched(response.status, body)
                body += chunk
                if len(body) > max_bytes:
                    return Fetched(response.status, None, f"larger than {max_bytes // 1024} KB")
        except Refused as refusal:
            kind = "redirect" if hop else "request"
            return Fetched(problem=f"{kind} to an internal address ({refusal.address}) refused: {url}")
        except (OSError, http.client.HTTPException) as exc:
            return Fetched(problem=f"unreachable ({exc.__class__.__name__})")
        finally:
            conn.close()
    return Fetched(problem="too many redirects")

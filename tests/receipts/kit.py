"""Helpers for the receipts tests: valid receipts for the example project, and the real service
run as a separate process (so that it can be killed with SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from policyforge.receipts.ledger import Ledger
from policyforge.source.options import read_project

ORIGIN = "http://shop.test"


def receipt_for(config_file: Path, release: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid "accept all" receipt for ``version`` (default: the newest release) of the project."""
    ledger = Ledger(read_project(config_file))
    facts = ledger.versions[release or list(ledger.versions)[-1]]
    body: dict[str, Any] = {
        "format": 1,
        "consent_id": "0123abcd-4567-89ef-0123-456789abcdef",
        "action": "accept",
        "granted": list(facts.categories),
        "refused": [],
        "revision": facts.revision,
        "version": facts.version,
        "sha256": facts.sha256,
        "gpc": False,
        "language": "en",
        "origin": ORIGIN,
        "client_time": "2026-11-29T12:00:00.000Z",
    }
    body.update(overrides)
    return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(
    url: str,
    body: Any,
    *,
    origin: str | None = ORIGIN,
    content_type: str = "text/plain;charset=UTF-8",
    timeout: float = 10,
) -> tuple[int, dict[str, Any]]:
    """POST a receipt; return the status and the JSON answer."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": content_type, **({"Origin": origin} if origin else {})}
    request = urllib.request.Request(url, data, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class Service:
    """``policyforge receipts serve`` in a subprocess, on a free loopback port."""

    def __init__(
        self,
        config_file: Path,
        db: str,
        *extra: str,
        limit_file_size: int | None = None,
        limit_files: int | None = None,
    ) -> None:
        self.config_file, self.db, self.extra = config_file, db, extra
        self.limit_file_size, self.limit_files = limit_file_size, limit_files
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = config_file.parent / f"service-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/receipts"

    def _limits(self) -> None:  # runs in the child, before exec
        import resource

        if self.limit_file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.limit_file_size, self.limit_file_size))
        if self.limit_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.limit_files, self.limit_files))

    def start(self) -> Service:
        command = [
            sys.executable,
            "-m",
            "policyforge",
            "receipts",
            "serve",
            "-f",
            str(self.config_file),
            "--db",
            self.db,
            "--port",
            str(self.port),
            "--allow-origin",
            ORIGIN,
            "--rate-limit",  # the tests send from one address; those about the limit set it again
            "0",
            *self.extra,
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                stdout=log,
                stderr=log,
                cwd=self.config_file.parent,
                preexec_fn=self._limits if self.limit_file_size or self.limit_files else None,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise RuntimeError(f"the service did not answer:\n{self.log.read_text()}")

    def health(self) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is flushed."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

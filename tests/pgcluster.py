"""A throwaway PostgreSQL server for the receipts tests and ``make bench``: test tooling, not shipped in the wheel.

``with ThrowawayCluster() as pg: pg.url`` creates a cluster in a temporary folder with Debian's
``initdb``, starts it on 127.0.0.1 on a free port and removes everything afterwards. When no
PostgreSQL is installed and we are root on Debian, ``apt-get install postgresql`` runs first (the
way the browser is installed for the tests). ``initdb`` refuses to run as root, so as root the
cluster belongs to the ``postgres`` user (or ``nobody``).

``python -m tests.pgcluster`` only makes sure the binaries are there (``make test`` runs it first, as it
makes sure of the browser). pytest-postgresql does the same job but needs ``pg_ctl`` on PATH and does
not install PostgreSQL; this one finds Debian's versioned binaries and runs as root in CI containers.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["ThrowawayCluster", "ensure_postgres", "find_postgres"]


def find_postgres() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres`` (newest Debian version first)."""
    env = os.environ.get("POLICYFORGE_PG_BIN")
    candidates = [Path(env)] if env else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(Path(which).resolve().parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _major(name: str) -> int:
    return int(name) if name.isdigit() else 0


def ensure_postgres() -> Path:
    """The PostgreSQL binaries, installing Debian's ``postgresql`` when missing and allowed."""
    found = find_postgres()
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"]
        if subprocess.run(install, env=env, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
            subprocess.run(install, check=True, env=env)
        found = find_postgres()
        if found:
            return found
    raise RuntimeError(
        "PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set "
        "POLICYFORGE_PG_BIN to the folder holding initdb and pg_ctl"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> pwd.struct_passwd | None:
    """The user that runs the cluster when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a `postgres` nor a `nobody` user exists to own the cluster")


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1, removed on exit."""

    def __init__(self, fsync: bool = True) -> None:
        self.bin = ensure_postgres()
        self.fsync = fsync
        self.port = 0
        self.folder = Path()
        self._owner = _owner()

    @property
    def url(self) -> str:
        """``postgresql://postgres@127.0.0.1:PORT/postgres`` (trust authentication on loopback)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        owner = self._owner
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=check,
            text=True,
            capture_output=True,
            user=owner.pw_uid if owner else None,
            group=owner.pw_gid if owner else None,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )

    def start(self) -> None:
        """Start (or restart, after :meth:`stop` or :meth:`crash`) the server; waits until it accepts."""
        fsync = "on" if self.fsync else "off"
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync={fsync}"
            " -c max_connections=50 -c shared_buffers=64MB"
        )
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        if result.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr.strip()}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``mode`` ``immediate`` is a crash: no checkpoint)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop", check=False)

    def __enter__(self) -> ThrowawayCluster:
        self.folder = Path(tempfile.mkdtemp(prefix="policyforge-pg-"))
        if self._owner:
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        self.port = _free_port()
        try:
            self._run(
                "initdb",
                "-D",
                str(self.folder / "data"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            )
            self.start()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    print(f"postgresql: {ensure_postgres()}")

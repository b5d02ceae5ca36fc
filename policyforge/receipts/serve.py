"""``policyforge receipts serve``: open the database, read the policy history, run uvicorn.

Everything that can be wrong at start (a bad database URL, a history that does not verify,
no released version, a busy port) is raised as a typed error before a request is taken.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field

import uvicorn

from ..source.options import ProjectOptions
from .app import ServiceConfig, create_app
from .errors import ReceiptsError
from .ledger import Ledger
from .logs import setup_logging
from .store import open_store

__all__ = ["ServeOptions", "serve"]

log = logging.getLogger("policyforge.receipts")


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen and what to store into."""

    database: str
    host: str = "127.0.0.1"
    port: int = 8300
    service: ServiceConfig = field(default_factory=lambda: ServiceConfig(allow_origins=()))
    log_level: str = "info"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ReceiptsError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="Another program uses that port: pick another with --port.",
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(project: ProjectOptions, options: ServeOptions) -> None:
    """Run the service until interrupted (SIGINT/SIGTERM stop it after writing what is waiting)."""
    if not options.service.allow_origins:
        raise ReceiptsError(
            "no origin may send receipts: pass --allow-origin for each site that embeds the banner",
            hint="For example: --allow-origin https://www.example.com",
        )
    ledger = Ledger(project)
    store = open_store(options.database, migrate=True)
    try:
        sock = _bind(options.host, options.port)
        setup_logging(options.log_level)
        log.info(
            "listening",
            extra={
                "event": "listen",
                "url": f"http://{options.host}:{sock.getsockname()[1]}{options.service.path}",
                "database": store.shown,
            },
        )
        app = create_app(store, ledger, options.service)
        config = uvicorn.Config(
            app,
            access_log=False,
            log_config=None,
            proxy_headers=False,  # the client address is the peer's, or --client-ip-header's (clients.py)
            server_header=False,
            date_header=True,
            timeout_graceful_shutdown=10,
            lifespan="on",
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()

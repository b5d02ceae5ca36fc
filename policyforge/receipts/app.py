"""The receipts service: a Starlette application (``POST /receipts``, ``GET /health``).

Every refusal is a clear 4xx with a JSON body ``{"error": ..., "problems": [...]}``:

* 403 the ``Origin`` (or, without one, the receipt's origin) is not on the allow-list;
* 413 the body is larger than the limit; 415 it is neither JSON nor text;
* 408 the body did not arrive within the deadline (the connection is closed);
* 400 the body is not JSON (or a number too long, nesting too deep); 422 it breaks the receipt
  schema or disagrees with the policy history (unknown version or revision, wrong sha256,
  categories not the version's);
* 429 the client sent more valid receipts than its rate allows (with ``Retry-After``); the client
  is the socket peer or the configured proxy header's address (:mod:`.clients`), and only a
  receipt that passed every check spends a token, so nobody can use up another's allowance;
* 503 more requests are in progress than allowed, or the database cannot store it right now
  (nothing acknowledged is ever lost), with ``Retry-After``.

A client that disconnects before its body arrived is logged as one info line, never an error.

A stored receipt is answered with 201 ``{"receipt_id": ..., "server_time": ...}`` only after its
transaction was committed (see :mod:`.writer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .clients import ClientKeys
from .errors import ReceiptInvalid, StoreUnavailable
from .ledger import Ledger
from .ratelimit import RateLimiter
from .receipt import parse_receipt
from .store import Store, StoredReceipt, receipt_id, utcnow
from .writer import BatchWriter

__all__ = ["ServiceConfig", "create_app"]

log = logging.getLogger("policyforge.receipts")
_CONTENT_TYPES = ("application/json", "text/plain")


@dataclass(frozen=True)
class ServiceConfig:
    """How the service treats requests."""

    allow_origins: tuple[str, ...]
    max_body: int = 8192
    rate: float = 20.0
    burst: float | None = None
    path: str = "/receipts"
    client_ip_header: str | None = None
    body_timeout: float = 10.0
    max_concurrent: int = 64
    max_clients: int = 10_000


class _Refused(Exception):
    """A request answered with a 4xx or 5xx; ``level`` is its log line's (only the database's failures are errors).

    The answer closes the connection: a client refused before its body was read (a slow one, say)
    must not keep the connection, and with it a file of the service, by sending the rest.
    """

    def __init__(
        self,
        status: int,
        error: str,
        problems: list[str] | None = None,
        headers: dict[str, str] | None = None,
        level: int = logging.INFO,
    ) -> None:
        super().__init__(error)
        self.status, self.error, self.problems, self.headers = status, error, problems or [], headers or {}
        self.level = level

    def response(self) -> JSONResponse:
        headers = {**self.headers, "Connection": "close"}
        return JSONResponse({"error": self.error, "problems": self.problems}, self.status, headers=headers)


class ReceiptsService:
    """Request handlers; holds the store, the policy history, the writer and the rate limiter."""

    def __init__(self, store: Store, ledger: Ledger, config: ServiceConfig) -> None:
        self.store, self.ledger, self.config = store, ledger, config
        self.writer = BatchWriter(store)
        self.limiter = RateLimiter(config.rate, config.burst, config.max_clients)
        self.clients = ClientKeys(config.client_ip_header)
        self.active = 0
        self.any_origin = "*" in config.allow_origins
        self.origins = frozenset(config.allow_origins)

    def allowed(self, origin: str) -> bool:
        return self.any_origin or origin in self.origins

    async def _body(self, request: Request) -> bytes:
        limit = self.config.max_body
        too_large = _Refused(413, f"the receipt is larger than {limit} bytes")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.config.body_timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise too_large
                    chunks.append(chunk)
        except TimeoutError:
            raise _Refused(408, f"the receipt did not arrive within {self.config.body_timeout:g} s") from None
        return b"".join(chunks)

    async def receive(self, request: Request) -> JSONResponse:
        """``POST /receipts``: validate, stamp and store one receipt."""
        started = time.perf_counter()
        fields: dict[str, object] = {"event": "receipt"}
        level = logging.INFO
        try:
            if self.active >= self.config.max_concurrent:
                busy = f"more than {self.config.max_concurrent} receipts are in progress"
                retry = {"Retry-After": "1"}
                raise _Refused(503, "the service is busy; send the receipt again later", [busy], retry, logging.WARNING)
            self.active += 1
            try:
                response = await self._receive(request, fields)
            finally:
                self.active -= 1
        except _Refused as refused:
            response, level = refused.response(), refused.level
            fields["problems"] = refused.problems or [refused.error]
        except ClientDisconnect:  # nobody is left to answer: one quiet line, no traceback
            gone = "the client disconnected before the whole receipt arrived"
            response, fields["problems"] = _Refused(400, gone).response(), [gone]
        fields.update(status=response.status_code, ms=round((time.perf_counter() - started) * 1000, 2))
        log.log(level, "receipt %s", "stored" if response.status_code == 201 else "refused", extra=fields)
        return response

    async def _receive(self, request: Request, fields: dict[str, object]) -> JSONResponse:
        origin = request.headers.get("origin")
        fields["origin"] = origin
        if origin is not None and not self.allowed(origin):
            raise _Refused(403, f"origin {origin} is not allowed to send receipts")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in _CONTENT_TYPES:
            raise _Refused(415, "send the receipt as application/json or text/plain")
        client = self.clients.key(request.scope)
        self._limit(self.limiter.wait(client))  # refused before reading a body, but nothing spent
        body = await self._body(request)
        try:
            receipt = parse_receipt(body)
            if origin is None and not self.allowed(receipt.origin):
                raise _Refused(403, f"origin {receipt.origin} is not allowed to send receipts")
            if origin is not None and receipt.origin != origin:
                raise ReceiptInvalid([f"receipt.origin: {receipt.origin} is not the origin that sent it ({origin})"])
            arrived = utcnow()
            receipt = self.ledger.check(receipt, arrived)  # a format 2 receipt gets the version it names
        except ReceiptInvalid as invalid:
            raise _Refused(invalid.status, "invalid receipt", invalid.problems) from None
        self._limit(self.limiter.take(client))  # only a receipt that passed every check spends a token
        stored = StoredReceipt(receipt_id(), arrived, receipt)
        fields.update(action=receipt.action, version=receipt.version, receipt_id=stored.receipt_id)
        try:
            await self.writer.submit(stored)
        except StoreUnavailable as down:
            raise _Refused(
                503,
                "the receipt could not be stored; send it again later",
                [str(down)],
                headers={"Retry-After": "5"},
                level=logging.ERROR,
            ) from None
        stamp = stored.server_time.isoformat(timespec="microseconds") + "Z"
        return JSONResponse({"receipt_id": stored.receipt_id, "server_time": stamp}, 201)

    def _limit(self, wait: float) -> None:
        if wait:
            retry = {"Retry-After": self.limiter.retry_after(wait)}
            raise _Refused(429, "too many receipts from this client", headers=retry)

    async def health(self, request: Request) -> JSONResponse:
        """``GET /health``: 200 when the database answers, else 503."""
        try:
            await run_in_threadpool(self.store.ping)
        except StoreUnavailable as down:
            return JSONResponse({"status": "unavailable", "database": self.store.kind, "error": str(down)}, 503)
        return JSONResponse(
            {
                "status": "ok",
                "database": self.store.kind,
                "versions": list(self.ledger.versions),
                "waiting": self.writer.waiting,
                "written": self.writer.written,
            }
        )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    status = error.status_code if isinstance(error, HTTPException) else 500
    detail = error.detail if isinstance(error, HTTPException) else "internal error"
    return JSONResponse({"error": detail, "problems": []}, status)


def create_app(store: Store, ledger: Ledger, config: ServiceConfig) -> Starlette:
    """The ASGI application. The store must be migrated; the caller closes it after the app stops."""
    service = ReceiptsService(store, ledger, config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.writer.start()
        log.info(
            "receipts service started",
            extra={"event": "start", "database": store.kind, "versions": list(ledger.versions)},
        )
        try:
            yield
        finally:
            await service.writer.stop()
            log.info("receipts service stopped", extra={"event": "stop", "written": service.writer.written})

    cors = Middleware(
        CORSMiddleware,
        allow_origins=list(config.allow_origins),
        allow_methods=["POST"],
        allow_headers=["content-type"],
        max_age=86400,
    )
    routes = [
        Route(config.path, service.receive, methods=["POST"]),
        Route("/health", service.health, methods=["GET", "HEAD"]),
    ]
    app = Starlette(
        routes=routes, middleware=[cors], lifespan=lifespan, exception_handlers={HTTPException: _http_error}
    )
    app.state.service = service
    return app

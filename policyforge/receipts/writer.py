"""Group commit: receipts are acknowledged only once their batch is committed to the database.

Requests hand their receipt to :class:`BatchWriter` and wait. One writer task takes everything
waiting (up to ``max_batch``), writes it in one transaction on its own thread, and then wakes
the requests: 201 after a commit, 503 when the database refused it. Under load each commit
carries many receipts, which is how a synchronous, fsync-per-commit database keeps up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from .errors import StoreUnavailable
from .store import Store, StoredReceipt

__all__ = ["BatchWriter"]

log = logging.getLogger("policyforge.receipts")

_Item = tuple[StoredReceipt, "asyncio.Future[None]"]


def _expire(future: asyncio.Future[None], timeout: float) -> None:
    if not future.done():
        future.set_exception(StoreUnavailable(f"the database did not commit within {timeout:g} s"))


class BatchWriter:
    """Writes receipts in batches on one thread; :meth:`submit` returns once the receipt is stored."""

    def __init__(self, store: Store, *, max_batch: int = 500, max_waiting: int = 20000, timeout: float = 15.0) -> None:
        self.store = store
        self.max_batch = max_batch
        self.timeout = timeout
        self._queue: asyncio.Queue[_Item] = asyncio.Queue(maxsize=max_waiting)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipts-writer")
        self._side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipts-checkpoint")
        self._task: asyncio.Task[None] | None = None
        self._checkpoints: asyncio.Task[None] | None = None
        self.written = 0

    @property
    def waiting(self) -> int:
        """Receipts handed in and not written yet."""
        return self._queue.qsize()

    def start(self) -> None:
        """Start the writer task on the running event loop."""
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._run(), name="receipts-writer")
        self._checkpoints = loop.create_task(self._checkpoint_every(1.0), name="receipts-checkpoint")

    async def stop(self) -> None:
        """Write what is still waiting, then stop."""
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
        if self._task is not None:
            await self._queue.join()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._pool.shutdown(wait=True)
        self._side.shutdown(wait=True)

    async def _checkpoint_every(self, seconds: float) -> None:
        """Checkpoint (SQLite) after new writes, on another thread than the commits."""
        loop = asyncio.get_running_loop()
        done = self.written
        while True:
            await asyncio.sleep(seconds)
            if self.written == done:
                continue
            done = self.written
            try:
                await loop.run_in_executor(self._side, self.store.checkpoint)
            except Exception:  # the next commit reports a real database problem; this is housekeeping
                log.warning("checkpoint failed", extra={"event": "store.checkpoint"}, exc_info=True)

    async def submit(self, item: StoredReceipt) -> None:
        """Store ``item``; :class:`StoreUnavailable` when it could not be committed in time."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        try:
            self._queue.put_nowait((item, future))
        except asyncio.QueueFull:
            raise StoreUnavailable("too many receipts waiting for the database") from None
        timer = loop.call_later(self.timeout, _expire, future, self.timeout)
        try:
            await future
        finally:
            timer.cancel()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            error: BaseException | None = None
            try:
                await loop.run_in_executor(self._pool, self.store.add, [item for item, _ in batch])
                self.written += len(batch)
            except StoreUnavailable as exc:
                error = exc
                log.error(
                    "write failed", extra={"event": "store.unavailable", "error": str(exc), "receipts": len(batch)}
                )
            except Exception as exc:  # an unexpected database error must not stop the writer
                error = StoreUnavailable(f"the database refused the write: {type(exc).__name__}")
                log.exception("write failed", extra={"event": "store.error", "receipts": len(batch)})
            for _, future in batch:
                if not future.done():
                    if error is None:
                        future.set_result(None)
                    else:
                        future.set_exception(error)
                self._queue.task_done()

"""Rate limiting per client: a token bucket for each client key, in a table of bounded size.

The keys are the hashes of :mod:`.clients`. The table keeps at most ``max_keys`` buckets, the
most recently used ones (an LRU ``OrderedDict``): whatever the traffic, the state stays the same
size. Dropping a bucket only ever gives that client a full bucket again, so many clients (or one
with many addresses) can make the limit looser, never make a real visitor wait. Written here
rather than with the ``limits`` library, whose in-memory storage grows with every key it has seen
until each key expires: a flood of distinct clients would grow it without bound.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow ``rate`` receipts a second per key, with bursts up to ``burst``; ``rate <= 0`` disables it."""

    def __init__(self, rate: float, burst: float | None = None, max_keys: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(rate * 2, 1.0)
        self.max_keys = max_keys
        self._buckets: OrderedDict[bytes, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        """How many keys the table holds (at most ``max_keys``)."""
        return len(self._buckets)

    def _tokens(self, key: bytes, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def wait(self, key: bytes, now: float | None = None) -> float:
        """0 when ``key`` has a token left, else the seconds until it has; spends nothing."""
        if self.rate <= 0:
            return 0.0
        tokens = self._tokens(key, time.monotonic() if now is None else now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: bytes, now: float | None = None) -> float:
        """Spend a token of ``key``: 0 when there was one, else the seconds to wait (nothing spent)."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens = self._tokens(key, now)
        spent = tokens >= 1
        self._buckets[key] = (tokens - 1 if spent else tokens, now)
        self._buckets.move_to_end(key)
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return 0.0 if spent else (1 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        """The ``Retry-After`` header value (whole seconds, at least 1)."""
        return str(max(1, math.ceil(wait)))

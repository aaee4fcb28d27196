"""Order starts per client address: a sliding window, in memory, per process.

With several processes behind a load balancer each process counts on its own (documented in
docs/backend.md); the limit is there to stop one phone hammering codes, not to be exact.
"""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self._last_sweep = time.monotonic()

    def allow(self, address: str) -> bool:
        """Count one attempt; False when this address has used up its window."""
        now = time.monotonic()
        horizon = now - self.window_s
        hits = self._hits.setdefault(address, deque())
        while hits and hits[0] <= horizon:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        if now - self._last_sweep > self.window_s:
            self._sweep(horizon)
            self._last_sweep = now
        return True

    def retry_after(self, address: str) -> int:
        hits = self._hits.get(address)
        if not hits:
            return 1
        return max(1, int(hits[0] + self.window_s - time.monotonic()) + 1)

    def _sweep(self, horizon: float) -> None:
        """Forget addresses with no recent attempt, so memory stays bounded."""
        for address in [a for a, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[address]

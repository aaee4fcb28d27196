"""Timeouts fire by themselves: a heap of (deadline, order) kept from the read projection's
changes, and a task that sleeps until the next deadline and sends `TimeOutOrder` through
the writer. Deadlines come from the stored events, so a restart loses none. The decider
checks again; on several processes the later attempt is simply refused."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from backend.actions import order_command
from backend.problems import ApiError
from core.commands import TimeOutOrder
from core.ids import new_id
from core.orders import OrderState

if TYPE_CHECKING:
    from backend.runtime import Backend

log = logging.getLogger("espresso.timeouts")
RETRY_AFTER_FAULT_S = 1.0


class TimeoutSweeper:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._heap: list[tuple[datetime, str, str]] = []  # (deadline, store, order id)
        self._scheduled: dict[str, datetime] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.id = f"timeout-sweeper-{new_id()}"
        self.fired = 0

    def start(self) -> None:
        for rt in self._backend.stores.values():
            self.watch(rt.id, rt.projection.open_orders())
        self._task = asyncio.create_task(self._run(), name="timeouts")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def poke(self) -> None:
        """Look at the deadlines again now (the clock jumped: tests with a FakeClock)."""
        self._wake.set()

    def watch(self, store_id: str, orders: Iterable[OrderState]) -> None:
        earliest = self._heap[0][0] if self._heap else None
        for order in orders:
            if not order.is_open or order.deadline is None:
                self._scheduled.pop(order.id, None)
                continue
            if self._scheduled.get(order.id) == order.deadline:
                continue
            self._scheduled[order.id] = order.deadline
            heapq.heappush(self._heap, (order.deadline, store_id, order.id))
        if self._heap and (earliest is None or self._heap[0][0] < earliest):
            self._wake.set()

    def _due(self, now: datetime) -> list[tuple[str, str]]:
        due = []
        while self._heap and self._heap[0][0] <= now:
            deadline, store_id, order_id = heapq.heappop(self._heap)
            if self._scheduled.get(order_id) != deadline:
                continue  # superseded: the order moved on or ended
            del self._scheduled[order_id]
            order = self._backend.stores[store_id].projection.order(order_id)
            if order is not None and order.is_open and order.deadline is not None and order.deadline <= now:
                due.append((store_id, order_id))
        return due

    async def _run(self) -> None:
        while True:
            due = self._due(self._backend.clock.now())
            if due:
                await asyncio.gather(*(self._fire(store_id, order_id) for store_id, order_id in due))
            self._wake.clear()
            delay = None
            if self._heap:
                delay = max(0.0, (self._heap[0][0] - self._backend.clock.now()).total_seconds()) + 0.005
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _fire(self, store_id: str, order_id: str) -> None:
        action = order_command(TimeOutOrder(order_id), order_id, "system")
        try:
            await self._backend.execute(store_id, action, self.id)
            self.fired += 1
        except ApiError:
            pass  # someone else ended it first, or another process timed it out
        except Exception:
            log.exception("timing out an order failed; will retry")
            retry = self._backend.clock.now() + timedelta(seconds=RETRY_AFTER_FAULT_S)
            self._scheduled[order_id] = retry
            heapq.heappush(self._heap, (retry, store_id, order_id))

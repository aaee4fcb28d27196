"""A StoreFeed that lives in memory: the real Projection and the real decider, no network.

For the app's unit tests and snapshots, where content must be deterministic (a fixed clock,
fixed ids). The behaviour tests run the app against a real backend through the real
StoreClient; this one only stands in where a real backend's clock would make the screen
differ from run to run.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import datetime

from core import commands as c
from core.clock import FakeClock
from core.config import StoreConfig
from core.decider import CodeVerdict, Context, decide
from core.errors import Rejected
from core.events import Event
from core.projection import Projection
from core.sync.feed import CommandResult, FeedUpdate, Listener, Notice, StoreInfo, SyncStatus


class LocalFeed:
    def __init__(
        self, config: StoreConfig, clock: FakeClock, barista: str = "Ana", store: str = "booth"
    ) -> None:
        self.projection = Projection(store, config)
        self.status = SyncStatus(online=True)
        self.store_info = StoreInfo(id=store, name=config.name)
        self.clock = clock
        self.barista = barista
        self.listeners: list[Listener] = []
        self._ids = (f"00000000-0000-7000-8000-{n:012d}" for n in itertools.count(1))
        self._numbers = itertools.count(1)
        self._seq = itertools.count(1)
        self.started = False
        self.log: list[Event] = []  # every event, as a backend's log would hold them

    # -- the protocol ---------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    async def start(self, *, follow: bool = True) -> None:
        self.started = True
        self._tell(FeedUpdate(initial=True, store_changed=True, status=self.status))

    def follow(self) -> None:
        pass

    async def stop(self) -> None:
        self.started = False
        self.log: list[Event] = []  # every event, as a backend's log would hold them

    def timeline(self, order_id: str) -> list[Event]:
        order = self.projection.order(order_id)
        return sorted(order.events, key=lambda e: e.sort_key) if order else []

    async def claim(self, order_id: str) -> CommandResult:
        return self.run(c.ClaimOrder(order_id, self.barista))

    async def unclaim(self, order_id: str) -> CommandResult:
        return self.run(c.UnclaimOrder(order_id, self.barista))

    async def complete(self, order_id: str) -> CommandResult:
        return self.run(c.CompleteOrder(order_id, self.barista))

    async def cancel(self, order_id: str, reason: str | None = None) -> CommandResult:
        return self.run(c.CancelOrder(order_id, "barista", reason))

    async def walk_up(self, customer_name: str, item: str, options: Mapping[str, str]) -> CommandResult:
        return self.run(c.WalkUp(customer_name, item, dict(options)), number=True)

    async def open_store(self) -> CommandResult:
        return self.run(c.OpenStore())

    async def close_store(self) -> CommandResult:
        return self.run(c.CloseStore())

    async def set_item_stock(self, item: str, available: bool) -> CommandResult:
        return self.run(c.SetItemStock(item, available))

    async def set_choice_stock(self, option: str, choice: str, available: bool) -> CommandResult:
        return self.run(c.SetChoiceStock(option, choice, available))

    async def fetch_code(self) -> None:
        return None

    # -- driving it from a test -------------------------------------------------------------

    def run(self, command: c.Command, *, actor: str | None = None, number: bool = False) -> CommandResult:
        ctx = Context(
            now=self.clock.now(),
            actor=actor or self.barista,
            origin="local",
            new_id=lambda: next(self._ids),
            number=next(self._numbers) if number else None,
            code=CodeVerdict.VALID,
        )
        try:
            events = decide(command, self.projection, ctx)
        except Rejected as rejected:
            order_id = getattr(command, "order_id", None)
            order = self.projection.order(order_id) if order_id else None
            return CommandResult(ok=False, order=order, error=rejected.code, detail=rejected.detail)
        self.apply(events)
        order_id = next((e.order_id for e in events if e.order_id), getattr(command, "order_id", None))
        return CommandResult(ok=True, order=self.projection.order(order_id) if order_id else None)

    def apply(self, events: list[Event]) -> None:
        events = [e.with_seq(next(self._seq)) for e in events]
        self.log.extend(events)
        changes = self.projection.apply_all(events)
        store_changed = any(e.order_id is None for e in events)
        if changes or store_changed:
            self._tell(FeedUpdate(changes=tuple(changes), store_changed=store_changed))

    def customer_order(self, name: str, item: str, options: dict[str, str] | None = None) -> str:
        """A phone customer starts an order and chooses a drink; returns the order id."""
        started = self.run(c.StartOrder(name), actor="customer")
        assert started.ok and started.order is not None, started
        placed = self.run(c.ChooseDrink(started.order.id, item, options or {}), actor="customer", number=True)
        assert placed.ok, placed
        return started.order.id

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        self._tell(FeedUpdate(status=status))

    def say(self, text: str, at: datetime, level: str = "warning") -> None:
        self._tell(FeedUpdate(notices=(Notice(text, at, level=level),)))

    def _tell(self, update: FeedUpdate) -> None:
        for listener in list(self.listeners):
            listener(update)

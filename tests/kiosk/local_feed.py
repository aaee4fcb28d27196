"""A StoreFeed without a network: a real Projection fed with events from the real decider.

For the kiosk's own screen tests (layouts, snapshots, the QR drawing). The end-to-end tests
drive the kiosk through the real sync client against a real backend instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from itertools import count

from core import commands as c
from core.clock import FakeClock
from core.config import StoreConfig
from core.decider import CodeVerdict, Context, decide
from core.events import Event
from core.ids import new_id
from core.orders import OrderState
from core.projection import Projection
from core.sync.feed import CodeInfo, CommandResult, FeedUpdate, Listener, StoreInfo, SyncStatus

BARISTA = "Ana"


class LocalFeed:
    def __init__(self, config: StoreConfig, clock: FakeClock, store: str = "booth") -> None:
        self.projection = Projection(store, config)
        self.status = SyncStatus(online=True)
        self.store_info = StoreInfo(id=store, name=config.name)
        self.clock = clock
        self.code: CodeInfo | None = None
        self.code_fetches = 0
        self._listeners: list[Listener] = []
        self._numbers = count(1)
        self._seq = count(1)

    # -- the StoreFeed protocol -------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    async def start(self, *, follow: bool = True) -> None:
        self._publish(FeedUpdate(initial=True, status=self.status))

    def follow(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    def timeline(self, order_id: str) -> list[Event]:
        order = self.projection.order(order_id)
        return list(order.events) if order else []

    async def fetch_code(self) -> CodeInfo | None:
        self.code_fetches += 1
        if not self.status.online or not self.projection.is_open:
            return None
        return self.code

    async def claim(self, order_id: str) -> CommandResult:  # pragma: no cover - kiosk never calls
        raise NotImplementedError

    unclaim = complete = cancel = walk_up = claim  # type: ignore[assignment]
    open_store = close_store = set_item_stock = set_choice_stock = claim  # type: ignore[assignment]

    # -- driving it from a test ---------------------------------------------------------

    def record(self, command: c.Command, number: int | None = None, code: bool = False) -> list[Event]:
        ctx = Context(
            now=self.clock.now(),
            actor="test",
            origin="backend",
            new_id=new_id,
            number=number,
            code=CodeVerdict.VALID if code else None,
        )
        events = [e.with_seq(next(self._seq)) for e in decide(command, self.projection, ctx)]
        changes = tuple(ch for e in events if (ch := self.projection.apply(e)) is not None)
        store_changed = any(e.order_id is None for e in events)
        self._publish(FeedUpdate(changes=changes, store_changed=store_changed))
        return events

    def open(self) -> None:
        self.record(c.OpenStore())

    def close(self) -> None:
        self.record(c.CloseStore())

    def order(self, name: str) -> OrderState:
        """A phone order, placed: queued with the next number."""
        order_id = self.record(c.StartOrder(name), code=True)[0].order_id
        assert order_id is not None
        self.record(c.ChooseDrink(order_id, "flat-white"), number=next(self._numbers))
        order = self.projection.order(order_id)
        assert order is not None
        return order

    def claim_order(self, order: OrderState) -> None:
        self.record(c.ClaimOrder(order.id, BARISTA))

    def complete_order(self, order: OrderState) -> None:
        self.record(c.CompleteOrder(order.id, BARISTA))

    def set_status(self, online: bool, since: datetime | None = None) -> None:
        self.status = SyncStatus(online=online, offline_since=None if online else since or self.clock.now())
        self._publish(FeedUpdate(status=self.status))

    def set_code(self, url: str, remaining: int = 10, rotation_s: int = 300) -> CodeInfo:
        window = int(self.clock.now().timestamp() // rotation_s)
        expires = datetime.fromtimestamp((window + 1) * rotation_s, self.clock.now().tzinfo)
        self.code = CodeInfo(url.rsplit("=", 1)[-1], url, expires, remaining, rotation_s)
        return self.code

    def _publish(self, update: FeedUpdate) -> None:
        for listener in list(self._listeners):
            listener(update)


def store_config(**overrides: object) -> StoreConfig:
    menu: Mapping[str, object] = {
        "id": "flat-white",
        "name": "Flat White",
        "options": [{"id": "milk", "name": "Milk", "choices": ["Whole", "Oat"], "default": "Whole"}],
    }
    return StoreConfig.model_validate({"menu": [menu], **overrides})


def later(clock: FakeClock, seconds: float) -> datetime:
    return clock.now() + timedelta(seconds=seconds)

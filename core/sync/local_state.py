"""What this device shows: the replica's events plus the outbox's provisional ones, folded
into one `Projection`.

Events only ever add up, except provisional ones (a request whose outcome was unknown):
when such a request is settled, the projection is rebuilt without them and the difference
is reported as ordinary order changes (an order that vanishes comes with an `after` that
is not visible).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.config import StoreConfig
from core.events import Event
from core.orders import OrderState
from core.projection import OrderChange, Projection
from core.sync.replica import Replica


class LocalState:
    def __init__(self, store: str, replica: Replica, projection: Projection) -> None:
        self.store = store
        self.replica = replica
        self.projection = projection
        self._provisional: set[str] = set()

    def load(self) -> None:
        self.projection.load(self.replica.events())
        self._provisional = set()
        for entry in self.replica.outbox():
            self.projection.apply_all(entry.provisional)
            self._provisional.update(e.id for e in entry.provisional)

    def show_provisional(self, events: Iterable[Event]) -> tuple[list[OrderChange], bool]:
        events = list(events)
        self._provisional.update(e.id for e in events)
        return self.apply(events)

    def is_provisional(self, order_id: str) -> bool:
        """An order known here only from a request not settled yet (a walk-up sent just
        as the link broke): the backend will give it its id and number."""
        order = self.projection.order(order_id)
        return order is not None and all(e.id in self._provisional for e in order.events)

    def apply(self, events: Iterable[Event]) -> tuple[list[OrderChange], bool]:
        """Apply events already made durable; returns the order changes and whether the
        store itself (open/closed, menu) changed."""
        status = self.projection.status
        changes = self.projection.apply_all(events)
        return changes, self.projection.status != status

    def rebuild(self, config: StoreConfig | None = None) -> tuple[list[OrderChange], bool]:
        """Fold everything again (after provisional events were dropped, or the store's
        settings changed). The projection object stays the same one the apps hold."""
        before_orders = {o.id: o for o in self.projection.orders()}
        before_status = self.projection.status
        # Re-initialise in place: apps keep a reference to this very Projection.
        Projection.__init__(self.projection, self.store, config or self.projection.config)
        self.load()
        after_orders = {o.id: o for o in self.projection.orders()}
        changes = []
        for order_id in before_orders.keys() | after_orders.keys():
            before, after = before_orders.get(order_id), after_orders.get(order_id)
            if before != after:
                changes.append(_change(before, after, order_id, self.store))
        return changes, self.projection.status != before_status


def _change(before: OrderState | None, after: OrderState | None, order_id: str, store: str) -> OrderChange:
    shown_after = after or OrderState(id=order_id, store=store)  # not visible: it is gone
    source = after if after is not None and after.events else before
    assert source is not None and source.events
    return OrderChange(source.events[-1], before, shown_after)

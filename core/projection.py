"""A store's state: its status and every order, kept current one event at a time.

The container is mutable for speed, but each step is the pure `evolve_order` /
`evolve_store`, so applying the same set of events in any order gives the same state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from core.config import StoreConfig
from core.events import Event
from core.menu import Menu
from core.orders import OrderState, OrderStatus, Timeouts, evolve_order, order_from_events
from core.store_state import StoreStatus, evolve_store


@dataclass(frozen=True, slots=True)
class OrderChange:
    """What one event did to one order."""

    event: Event
    before: OrderState | None
    after: OrderState


class Projection:
    def __init__(self, store: str, config: StoreConfig) -> None:
        self.store = store
        self.config = config
        self.timeouts = Timeouts.of(config)
        # Seeds count as older than any event, so the log always wins over config.
        self.status = StoreStatus(open=config.open, menu=config.seed_menu)
        self.last_seq = 0
        self.event_count = 0
        self._orders: dict[str, OrderState] = {}
        self._open_ids: set[str] = set()
        self._open_by_customer: Counter[str] = Counter()
        self._store_event_ids: set[str] = set()

    # -- reading --------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status.open

    @property
    def menu(self) -> Menu:
        return self.status.menu

    def order(self, order_id: str) -> OrderState | None:
        order = self._orders.get(order_id)
        return order if order is not None and order.is_visible else None

    def orders(self) -> Iterator[OrderState]:
        return (o for o in self._orders.values() if o.is_visible)

    def open_orders(self) -> Iterator[OrderState]:
        return (self._orders[i] for i in self._open_ids)

    @property
    def open_count(self) -> int:
        return len(self._open_ids)

    def open_orders_of(self, customer_id: str) -> int:
        return self._open_by_customer[customer_id]

    def count(self, status: OrderStatus) -> int:
        return sum(1 for o in self.open_orders() if o.status is status)

    def has_event(self, event: Event) -> bool:
        if event.order_id is not None:
            order = self._orders.get(event.order_id)
            return order is not None and order.has_event(event.id)
        return event.id in self._store_event_ids

    # -- applying -------------------------------------------------------------------

    def apply(self, event: Event) -> OrderChange | None:
        """Apply one event (any order, any number of times). Returns the order change."""
        self._saw(event)
        if event.order_id is None:
            if event.id not in self._store_event_ids:
                self._store_event_ids.add(event.id)
                self.event_count += 1
                self.status = evolve_store(self.status, event)
            return None
        before = self._orders.get(event.order_id)
        base = before or OrderState(id=event.order_id, store=self.store)
        after = evolve_order(base, event, self.timeouts)
        if after is before:
            return None
        self.event_count += 1
        self._put(before, after)
        return OrderChange(event, before if before and before.is_visible else None, after)

    def apply_all(self, events: Iterable[Event]) -> list[OrderChange]:
        return [change for e in events if (change := self.apply(e)) is not None]

    def states_of(self, events: Iterable[Event]) -> dict[str, OrderState]:
        """The orders these events touched, as they stand now. States are immutable, so
        another thread may keep them (the writer hands them to the read side)."""
        orders = self._orders
        return {e.order_id: orders[e.order_id] for e in events if e.order_id in orders}

    def adopt(self, events: Sequence[Event], states: Mapping[str, OrderState]) -> list[OrderState]:
        """`apply_all(events)`, taking the orders as another projection derived them (the
        writer's, which has just applied these very events) rather than deriving them a
        second time. `states` (`states_of`) must hold every order of `events`, each derived
        from at least what this projection holds of it. Returns the orders that changed."""
        orders = self._orders
        news: set[str] = set()  # the orders with events this projection did not hold
        for event in events:
            if event.order_id is None:
                self.apply(event)
                continue
            self._saw(event)
            if (held := orders.get(event.order_id)) is None or not held.has_event(event.id):
                self.event_count += 1
                news.add(event.order_id)
        changed = []
        for order_id, after in states.items():
            if order_id in news:
                self._put(orders.get(order_id), after)
                changed.append(after)
        return changed

    def copy(self) -> Projection:
        """Another projection holding the same state (the orders themselves are shared:
        they are immutable)."""
        twin = Projection(self.store, self.config)
        twin.status, twin.last_seq, twin.event_count = self.status, self.last_seq, self.event_count
        twin._orders = dict(self._orders)
        twin._open_ids = set(self._open_ids)
        twin._open_by_customer = Counter(self._open_by_customer)
        twin._store_event_ids = set(self._store_event_ids)
        return twin

    def load(self, events: Iterable[Event]) -> None:
        """`apply_all` without the changes, for a whole log at once (a replica opening):
        each order is derived once from all its events rather than once per event, which
        was most of an app's fold of its replica before its first screen. Same state."""
        by_order: dict[str, dict[str, Event]] = {}
        for event in events:
            if event.order_id is None:
                self.apply(event)
                continue
            self._saw(event)
            by_order.setdefault(event.order_id, {}).setdefault(event.id, event)
        for order_id, group in by_order.items():
            before = self._orders.get(order_id)
            if before is not None:
                group = {e.id: e for e in group.values() if not before.has_event(e.id)}
                if not group:
                    continue
            known = before.events if before is not None else ()
            after = order_from_events(order_id, self.store, (*known, *group.values()), self.timeouts)
            self.event_count += len(group)
            self._put(before, after)

    def _saw(self, event: Event) -> None:
        if event.seq is not None and event.seq > self.last_seq:
            self.last_seq = event.seq

    def _put(self, before: OrderState | None, after: OrderState) -> None:
        """`after` in place of `before` (None: a new order), and the indexes with it."""
        self._orders[after.id] = after
        if before is not None and before.is_open:
            self._open_ids.discard(before.id)
            if before.customer_id:
                self._open_by_customer[before.customer_id] -= 1
                if self._open_by_customer[before.customer_id] <= 0:
                    del self._open_by_customer[before.customer_id]
        if after.is_open:
            self._open_ids.add(after.id)
            if after.customer_id:
                self._open_by_customer[after.customer_id] += 1

"""One order's state, derived from the set of its events.

`evolve_order` is pure and order-independent: the state is computed from the *set* of the
order's events, so every node that holds the same events shows the same order, whatever
order they arrived in. The conflict rules (docs/conflicts.md) live in `_derive`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.config import StoreConfig
from core.events import Event


class OrderStatus(StrEnum):
    STARTED = "started"
    QUEUED = "queued"
    MAKING = "making"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"


OPEN_STATES = frozenset({OrderStatus.STARTED, OrderStatus.QUEUED, OrderStatus.MAKING})
END_STATES = frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.TIMED_OUT})
_HUMAN_ENDINGS = frozenset({"OrderCompleted", "OrderCancelled"})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """The two waits of an order (seconds); deadlines are event time plus these."""

    customer_s: float = 300
    barista_s: float = 900

    @classmethod
    def of(cls, config: StoreConfig) -> Timeouts:
        return cls(config.customer_timeout_s, config.barista_timeout_s)


@dataclass(frozen=True, slots=True)
class OrderState:
    """What a node knows of one order. `events` is the set it was derived from."""

    id: str
    store: str
    events: tuple[Event, ...] = ()
    status: OrderStatus | None = None  # None: only stray events seen, no OrderStarted yet
    number: int | None = None
    customer_name: str = ""
    customer_id: str | None = None
    walkup: bool = False
    item: str | None = None
    options: dict[str, str] | None = None
    barista: str | None = None
    created_at: datetime | None = None
    placed_at: datetime | None = None
    claimed_at: datetime | None = None
    ended_at: datetime | None = None
    updated_at: datetime | None = None
    deadline: datetime | None = None
    reason: str | None = None
    origin: str = "backend"
    ended_by: Event | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_visible(self) -> bool:
        return self.status is not None

    def has_event(self, event_id: str) -> bool:
        for event in self.events:  # noqa: SIM110 (a loop is 3x faster than any(); every event asks)
            if event.id == event_id:
                return True
        return False

    def to_api(self) -> dict[str, Any]:
        """The Order object of API.md."""
        return {
            "id": self.id,
            "store": self.store,
            "number": self.number,
            "state": str(self.status) if self.status else None,
            "customer_name": self.customer_name,
            "item": self.item,
            "options": dict(self.options) if self.options is not None else None,
            "barista": self.barista,
            "created_at": _rfc3339(self.created_at),
            "updated_at": _rfc3339(self.updated_at),
            "deadline": _rfc3339(self.deadline),
            "reason": self.reason,
            "origin": self.origin,
        }


def _rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def evolve_order(order: OrderState, event: Event, timeouts: Timeouts) -> OrderState:
    """The order with one more event. Idempotent (a known event changes nothing)."""
    if order.has_event(event.id):
        return order
    return _derive(order.id, order.store, (*order.events, event), timeouts)


def order_from_events(order_id: str, store: str, events: tuple[Event, ...], timeouts: Timeouts) -> OrderState:
    unique = tuple({e.id: e for e in events}.values())
    return _derive(order_id, store, unique, timeouts)


def _derive(order_id: str, store: str, events: tuple[Event, ...], timeouts: Timeouts) -> OrderState:
    # Built in one go: every node derives each order on every event it hears, and
    # `dataclasses.replace` (several per event) cost more than the rules themselves.
    ordered = sorted(events, key=_sort_key) if len(events) > 1 else list(events)
    started = next((e for e in ordered if e.type == "OrderStarted"), None)
    if started is None:
        return OrderState(id=order_id, store=store, events=tuple(ordered))
    data = started.data
    status = OrderStatus.STARTED
    number = item = options = barista = None
    placed_at = claimed_at = ended_at = None
    deadline: datetime | None = started.time + timedelta(seconds=timeouts.customer_s)
    reason = ending = None
    placed = next((e for e in ordered if e.type == "OrderPlaced"), None)
    if placed is not None:
        status = OrderStatus.QUEUED
        number, item = placed.data.get("number"), placed.data.get("item")
        options = dict(placed.data.get("options", {}))
        placed_at = placed.time
        deadline = placed.time + timedelta(seconds=timeouts.barista_s)
        barista, claimed_at = _claim_holder(ordered)
        if barista is not None:
            status = OrderStatus.MAKING
    ending = _ending(ordered)
    if ending is not None:
        status = _ENDING_STATUS[ending.type]
        if status is OrderStatus.COMPLETED:
            barista = ending.data.get("barista") or barista
        ended_at, deadline, reason = ending.time, None, ending.data.get("reason")
    return OrderState(
        id=order_id,
        store=store,
        events=tuple(ordered),
        status=status,
        number=number,
        customer_name=data.get("customer_name", ""),
        customer_id=data.get("customer_id"),
        walkup=bool(data.get("walkup", False)),
        item=item,
        options=options,
        barista=barista,
        created_at=started.time,
        placed_at=placed_at,
        claimed_at=claimed_at,
        ended_at=ended_at,
        updated_at=ordered[-1].time,
        deadline=deadline,
        reason=reason,
        origin=started.origin,
        ended_by=ending,
    )


def _sort_key(event: Event) -> tuple[datetime, str]:
    return (event.time, event.id)  # Event.sort_key, without the property call


def _claim_holder(ordered: list[Event]) -> tuple[str | None, datetime | None]:
    """Rule: claims and unclaims replay in (time, id) order; the first claim holds the order
    until its holder unclaims it. A claim while another barista holds it does not count, nor
    does an unclaim by anyone but the holder (a barista letting go of a claim that lost must
    not free the winner's). An unclaim that names no barista frees whoever holds it."""
    holder: str | None = None
    claimed_at: datetime | None = None
    for event in ordered:
        if event.type == "OrderClaimed" and holder is None:
            holder, claimed_at = event.data.get("barista"), event.time
        elif event.type == "OrderUnclaimed" and holder is not None:
            by = event.data.get("barista")
            if by is None or by == holder:
                holder, claimed_at = None, None
    return holder, claimed_at


_ENDING_STATUS = {
    "OrderCompleted": OrderStatus.COMPLETED,
    "OrderCancelled": OrderStatus.CANCELLED,
    "OrderTimedOut": OrderStatus.TIMED_OUT,
}


def _ending(ordered: list[Event]) -> Event | None:
    """Rule: the earliest completion or cancellation ends the order; a timeout ends it only
    if no person ever completed or cancelled it (a barista's offline completion beats it)."""
    ending = next((e for e in ordered if e.type in _HUMAN_ENDINGS), None)
    if ending is None:
        ending = next((e for e in ordered if e.type == "OrderTimedOut"), None)
    return ending

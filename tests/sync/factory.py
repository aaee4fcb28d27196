"""Events as the backend would have logged them, for tests that need a history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.events import Event, EventType, make_event
from core.ids import new_id

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class History:
    """Builds one store's log: each event gets the next seq and a later time."""

    def __init__(self, store: str = "booth", start: datetime = T0) -> None:
        self.store = store
        self.time = start
        self.seq = 0
        self.events: list[Event] = []

    def add(
        self,
        type_: EventType,
        order_id: str | None = None,
        *,
        actor: str = "backend",
        origin: str = "backend",
        data: dict[str, Any] | None = None,
        seq: bool = True,
        causation_id: str | None = None,
    ) -> Event:
        self.time += timedelta(seconds=1)
        event = make_event(
            type_,
            store=self.store,
            time=self.time,
            actor=actor,
            origin=origin,
            order_id=order_id,
            causation_id=causation_id,
        ).model_copy(update={"data": data or {}})
        if seq:
            self.seq += 1
            event = event.with_seq(self.seq)
        self.events.append(event)
        return event

    def order(self, number: int, name: str = "Ada", item: str = "espresso") -> str:
        order_id = new_id()
        self.add("OrderStarted", order_id, actor="customer", data={"customer_name": name, "walkup": False})
        self.add(
            "OrderPlaced", order_id, actor="customer", data={"number": number, "item": item, "options": {}}
        )
        return order_id

    def claim(self, order_id: str, barista: str) -> Event:
        return self.add("OrderClaimed", order_id, actor=barista, data={"barista": barista})

    def complete(self, order_id: str, barista: str) -> Event:
        return self.add("OrderCompleted", order_id, actor=barista, data={"barista": barista})

    def cancel(self, order_id: str, reason: str = "customer", actor: str = "customer") -> Event:
        return self.add("OrderCancelled", order_id, actor=actor, data={"reason": reason})

"""Events for the store tests: valid envelopes with little in them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.events import Event, OrderStartedData, make_event

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def store_event(store: str = "booth", n: int = 0, id: str | None = None) -> Event:
    return make_event(
        "StoreOpened", store=store, time=T0 + timedelta(seconds=n), actor="test", origin="test", id=id
    )


def order_event(order_id: str, store: str = "booth", n: int = 0) -> Event:
    return make_event(
        "OrderStarted",
        store=store,
        time=T0 + timedelta(seconds=n),
        actor="customer",
        origin="test",
        order_id=order_id,
        data=OrderStartedData(customer_name=f"Ada {n}"),
    )

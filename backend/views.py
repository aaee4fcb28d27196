"""The JSON bodies the API answers with, built from a projection (no database reads)."""

from __future__ import annotations

from typing import Any

import pydantic_core

from core.events import Event
from core.orders import OrderState, OrderStatus
from core.projection import Projection


def to_json(value: Any) -> bytes:
    return pydantic_core.to_json(value)


def order_view(order: OrderState) -> dict[str, Any]:
    return order.to_api()


def store_view(store_id: str, state: Projection) -> dict[str, Any]:
    config = state.config
    started = queued = making = 0
    for order in state.open_orders():
        if order.status is OrderStatus.STARTED:
            started += 1
        elif order.status is OrderStatus.QUEUED:
            queued += 1
        elif order.status is OrderStatus.MAKING:
            making += 1
    return {
        "id": store_id,
        "name": config.name,
        "open": state.is_open,
        "menu": [item.model_dump(mode="json") for item in state.menu.items],
        "queue": {"started": started, "queued": queued, "making": making, "capacity": config.max_queue},
        "limits": {
            "drinks_per_code": config.drinks_per_code,
            "code_rotation_s": config.code_rotation_s,
            "customer_timeout_s": config.customer_timeout_s,
            "barista_timeout_s": config.barista_timeout_s,
        },
    }


def event_json(event: Event) -> bytes:
    return event.model_dump_json().encode()


def events_json(events: list[Event], last_seq: int) -> bytes:
    return b'{"events":[' + b",".join(event_json(e) for e in events) + b'],"last_seq":%d}' % last_seq

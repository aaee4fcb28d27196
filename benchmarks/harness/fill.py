"""Filling a real server's log fast: whole walk-up lifecycles (started, placed, claimed,
completed) pushed as a barista device would push what it did offline."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

EVENTS_PER_ORDER = 4
ORDERS_PER_PUSH = 25  # 100 events: well under the 64 KiB body limit
_numbers = itertools.count(100_000)


def lifecycle(store: str, device: str, steps: int = EVENTS_PER_ORDER) -> list[dict[str, Any]]:
    """One walk-up's events: started, placed, then (steps 3, 4) claimed and completed."""
    order_id = uuid.uuid4().hex
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    base = {"store": store, "time": now, "order_id": order_id, "actor": "Ana", "origin": device}
    every: list[tuple[str, dict[str, Any]]] = [
        ("OrderStarted", {"customer_name": f"Guest {order_id[:6]}", "walkup": True}),
        ("OrderPlaced", {"number": next(_numbers), "item": "latte", "options": {"milk": "Oat"}}),
        ("OrderClaimed", {"barista": "Ana"}),
        ("OrderCompleted", {"barista": "Ana"}),
    ]
    return [{**base, "id": uuid.uuid4().hex, "type": kind, "data": data} for kind, data in every[:steps]]


def fill(url: str, store: str, token: str, orders: int, steps: int = EVENTS_PER_ORDER) -> list[str]:
    """Push `orders` lifecycles of `steps` events each; returns their order ids, oldest first."""
    ids: list[str] = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        for start in range(0, orders, ORDERS_PER_PUSH):
            events = [
                e
                for _ in range(min(ORDERS_PER_PUSH, orders - start))
                for e in lifecycle(store, "bench-device", steps)
            ]
            response = client.post(f"/api/v1/stores/{store}/events", json={"events": events})
            response.raise_for_status()
            ids += [e["order_id"] for e in events if e["type"] == "OrderStarted"]
    return ids

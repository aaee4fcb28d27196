"""What the backend holds, read through its API, folded with the core's rules."""

from __future__ import annotations

from typing import Any

from core.config import StoreConfig
from core.events import Event
from core.projection import Projection
from tests.support.server import BackendServer


def backend_events(server: BackendServer, store: str = "booth") -> list[Event]:
    events: list[Event] = []
    with server.client("display") as http:
        while True:
            after = events[-1].seq if events else 0
            page = http.get(f"/api/v1/stores/{store}/events", params={"after": after, "limit": 500})
            page.raise_for_status()
            batch = [Event.model_validate(e) for e in page.json()["events"]]
            events += batch
            if len(batch) < 500:
                return events


def backend_orders(server: BackendServer, config: StoreConfig | None = None) -> dict[str, dict[str, Any]]:
    projection = Projection("booth", config or StoreConfig())
    projection.apply_all(backend_events(server))
    return {o.id: o.to_api() for o in projection.orders()}

"""The barista app on a real backend, through the real StoreClient."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from barista_tui.app import BaristaApp
from core.sync.client import StoreClient
from core.sync.follower import LinkSettings
from tests.support.server import BackendServer

# Quick to notice the link is down and quick to come back, so tests wait little.
FAST_LINK = LinkSettings(silence_s=1.0, probe_timeout_s=0.5, backoff_first_s=0.05, backoff_cap_s=0.3)


def barista_app(server: BackendServer, name: str, data_dir: Path, url: str | None = None) -> BaristaApp:
    """Ana's terminal on `server` (or on `url`, e.g. a proxy in front of it)."""
    feed = StoreClient(
        url or server.url,
        "booth",
        server.barista_token,
        actor=name,
        device_name=f"barista-{name}",
        data_dir=data_dir,
        link=FAST_LINK,
    )
    return BaristaApp(feed, barista=name)


def backend_order(server: BackendServer, order_id: str) -> dict[str, Any]:
    """The order as the backend has it (what any other client would see)."""
    response = httpx.get(f"{server.url}/api/v1/orders/{order_id}", headers=server.headers("display"))
    response.raise_for_status()
    order: dict[str, Any] = response.json()
    return order


def backend_orders(server: BackendServer) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.url}/api/v1/stores/booth/orders", headers=server.headers("display"))
    response.raise_for_status()
    orders: list[dict[str, Any]] = response.json()["orders"]
    return orders

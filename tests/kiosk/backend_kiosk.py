"""A kiosk on the real sync client, following a real `espresso serve` (tests/support)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from core.config import load_settings
from kiosk.app import KioskApp
from kiosk.feed_source import open_feed
from tests.support.server import BackendServer


def kiosk_for(server: BackendServer, directory: Path, url: str | None = None) -> KioskApp:
    """The kiosk as `espresso kiosk --config <the server's config> --server <its URL>` makes it
    (`url`: reach the server another way, e.g. through a proxy)."""
    settings = load_settings(server.config_path, environ={})
    replica = directory / "kiosk-replica.sqlite3"
    feed = open_feed(settings, server=url or server.url, replica_path=replica)
    return KioskApp(feed, tick_s=0.1)


class Api:
    """The HTTP API as phones and baristas use it, without blocking the app's event loop."""

    def __init__(self, server: BackendServer) -> None:
        self.server = server

    async def call(self, method: str, path: str, role: str | None = "barista", **kwargs: Any) -> Any:
        headers = self.server.headers(role) if role else {}
        headers.update(kwargs.pop("headers", {}))
        async with httpx.AsyncClient(base_url=self.server.url, timeout=10) as client:
            response = await client.request(method, path, headers=headers, **kwargs)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    async def code(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.call("GET", "/api/v1/stores/booth/code", role="display")
        return result

    async def start(self, name: str) -> tuple[dict[str, Any], str]:
        code = (await self.code())["code"]
        body = {"code": code, "customer_name": name}
        started = await self.call("POST", "/api/v1/stores/booth/orders", role=None, json=body)
        return started["order"], started["order_token"]

    async def place(self, name: str, item: str = "flat-white") -> dict[str, Any]:
        order, token = await self.start(name)
        auth = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/orders/{order['id']}/drink"
        placed: dict[str, Any] = await self.call("PUT", path, role=None, headers=auth, json={"item": item})
        return placed

    async def order_action(self, order: dict[str, Any], action: str) -> None:
        await self.call("POST", f"/api/v1/orders/{order['id']}/{action}", headers={"X-Barista": "Ana"})

    async def store_action(self, action: str) -> None:
        await self.call("POST", f"/api/v1/stores/booth/{action}")

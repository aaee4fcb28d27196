"""Small steps through the HTTP API that many tests need (a customer's order, a code)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import BackendServer


def current_code(server: BackendServer, store: str = "booth") -> str:
    response = httpx.get(f"{server.url}/api/v1/stores/{store}/code", headers=server.headers("display"))
    response.raise_for_status()
    code: str = response.json()["code"]
    return code


def start_order(
    server: BackendServer,
    name: str = "Ada",
    *,
    store: str = "booth",
    customer_id: str | None = None,
    code: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Start an order as a phone would; returns (order, order token)."""
    body: dict[str, Any] = {"code": code or current_code(server, store), "customer_name": name}
    if customer_id is not None:
        body["customer_id"] = customer_id
    response = httpx.post(f"{server.url}/api/v1/stores/{store}/orders", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return data["order"], data["order_token"]


def place_order(
    server: BackendServer,
    name: str = "Ada",
    item: str = "flat-white",
    options: dict[str, str] | None = None,
    *,
    store: str = "booth",
    customer_id: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Start an order and choose its drink; returns (the queued order, order token)."""
    order, token = start_order(server, name, store=store, customer_id=customer_id)
    response = httpx.put(
        f"{server.url}/api/v1/orders/{order['id']}/drink",
        json={"item": item, "options": options or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json(), token

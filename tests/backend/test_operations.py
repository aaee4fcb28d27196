"""Health, metrics, the OpenAPI page, the rate limit, and config seeding across restarts."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import current_code, place_order
from tests.support.config import MENU, write_config
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory()


def test_health_and_metrics_reveal_nothing_personal(server: BackendServer) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    order, token = place_order(server, "Zebedee Secretname")
    with httpx.stream(
        "GET", f"{server.url}/api/v1/orders/{order['id']}/stream", params={"access_token": token}
    ) as s:
        next(s.iter_lines())
    with httpx.stream(
        "GET",
        f"{server.url}/api/v1/stores/booth/events/stream",
        params={"access_token": server.display_token},
    ) as stream:
        next(stream.iter_lines())
        metrics = httpx.get(f"{server.url}/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'espresso_orders{store="booth",state="queued"} 1' in text
    assert 'route="/api/v1/orders/{order_id}/drink"' in text
    assert "espresso_request_duration_seconds_bucket" in text
    for secret in ("Secretname", order["id"], token, server.display_token, server.barista_token):
        assert secret not in text
    assert f'"{order["number"]}"' not in text
    log = server.log()
    for secret in ("Secretname", token, server.display_token, server.barista_token, server.admin_token):
        assert secret not in log


def test_the_openapi_page_lists_every_endpoint(server: BackendServer) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    paths = document["paths"]
    expected = {
        ("get", "/api/v1/stores/{store}"),
        ("post", "/api/v1/stores/{store}/orders"),
        ("put", "/api/v1/orders/{order_id}/drink"),
        ("get", "/api/v1/orders/{order_id}"),
        ("post", "/api/v1/orders/{order_id}/cancel"),
        ("get", "/api/v1/orders/{order_id}/stream"),
        ("post", "/api/v1/stores/{store}/open"),
        ("post", "/api/v1/stores/{store}/close"),
        ("put", "/api/v1/stores/{store}/menu"),
        ("post", "/api/v1/stores/{store}/stock"),
        ("get", "/api/v1/stores/{store}/code"),
        ("get", "/api/v1/stores/{store}/orders"),
        ("post", "/api/v1/orders/{order_id}/claim"),
        ("post", "/api/v1/orders/{order_id}/unclaim"),
        ("post", "/api/v1/orders/{order_id}/complete"),
        ("post", "/api/v1/stores/{store}/walkups"),
        ("get", "/api/v1/stores/{store}/events"),
        ("get", "/api/v1/stores/{store}/events/stream"),
        ("post", "/api/v1/stores/{store}/events"),
        ("post", "/api/v1/stores/{store}/number-leases"),
        ("get", "/api/v1/stores/{store}/stats"),
        ("get", "/healthz"),
        ("get", "/metrics"),
        ("get", "/order/{store}"),
    }
    found = {(method, path) for path, methods in paths.items() for method in methods}
    assert expected <= found
    start = paths["/api/v1/stores/{store}/orders"]["post"]
    assert start["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/StartOrderBody")
    assert {"201", "403", "404", "409", "413", "415", "422", "429"} <= set(start["responses"])
    assert "StartOrderBody" in document["components"]["schemas"]
    assert httpx.get(f"{server.url}/docs").status_code == 200


def test_order_starts_are_rate_limited_per_address(server_factory: ServerFactory) -> None:
    server = server_factory(server={"order_starts_per_minute": 3})
    url = f"{server.url}/api/v1/stores/booth/orders"
    code = current_code(server)
    answers = [httpx.post(url, json={"code": code, "customer_name": f"N{i}"}).status_code for i in range(3)]
    assert answers == [201, 201, 201]
    limited = httpx.post(url, json={"code": code, "customer_name": "Four"})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    # rate_limited comes before not_found and validation_error.
    assert httpx.post(f"{server.url}/api/v1/stores/nowhere/orders", json={}).json()["code"] == "rate_limited"
    # Another address (through a proxy on this host) has its own allowance.
    other = httpx.post(
        url, json={"code": code, "customer_name": "Else"}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert other.status_code == 201


def test_config_seeds_an_empty_log_and_later_only_menu_changes_count(server_factory: ServerFactory) -> None:
    server = server_factory(store={"open": False})
    store_url = f"{server.url}/api/v1/stores/booth"
    events_url = f"{store_url}/events"
    assert httpx.get(store_url).json()["open"] is False
    seeded = httpx.get(events_url, headers=server.headers("display")).json()["events"]
    assert [e["type"] for e in seeded] == ["MenuChanged"]
    # Oat milk runs out, then the backend restarts with `open = true` in its config.
    httpx.post(
        f"{store_url}/stock",
        json={"option": "milk", "choice": "Oat", "available": False},
        headers=server.headers(),
    )
    write_config(server.config_path, store={"open": True})
    server.restart()
    assert httpx.get(store_url).json()["open"] is False  # the log is the truth
    store = httpx.get(store_url).json()
    assert store["menu"][1]["options"][0]["unavailable"] == ["Oat"]  # stock survives a restart
    after_restart = httpx.get(events_url, headers=server.headers("display")).json()["last_seq"]
    # A changed menu in config is recorded at start.
    write_config(
        server.config_path, store={"open": True}, menu=[*MENU, {"id": "tea", "name": "Tea", "options": []}]
    )
    server.restart()
    changed = httpx.get(events_url, params={"after": after_restart}, headers=server.headers("display")).json()
    assert [e["type"] for e in changed["events"]] == ["MenuChanged"]
    assert [i["id"] for i in httpx.get(store_url).json()["menu"]][-1] == "tea"


def test_a_store_configured_open_opens_on_first_start(server_factory: ServerFactory) -> None:
    server = server_factory(stores={"booth": {"open": True}, "cart": {"open": False, "name": "The Cart"}})
    assert httpx.get(f"{server.url}/api/v1/stores/booth").json()["open"] is True
    cart = httpx.get(f"{server.url}/api/v1/stores/cart").json()
    assert cart["open"] is False and cart["name"] == "The Cart"
    events = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display")).json()
    assert [e["type"] for e in events["events"]] == ["MenuChanged", "StoreOpened"]
    # Orders and numbers are per store.
    httpx.post(f"{server.url}/api/v1/stores/cart/open", headers=server.headers())
    booth_order, _ = place_order(server, "B", store="booth")
    cart_order, _ = place_order(server, "C", store="cart")
    assert booth_order["number"] == cart_order["number"] == 1
    assert cart_order["store"] == "cart"

"""Offline pushes: what a barista device recorded while the link was down."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.api import place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})


def _event(type_: str, order_id: str | None, data: dict[str, Any], seconds_ago: float = 5) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return {
        "id": str(uuid.uuid4()),
        "store": "booth",
        "type": type_,
        "time": moment.isoformat(),
        "order_id": order_id,
        "actor": "Ann",
        "origin": "till-1",
        "causation_id": str(uuid.uuid4()),
        "data": data,
    }


def _push(server: BackendServer, events: list[dict[str, Any]], role: str = "barista") -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/stores/booth/events", json={"events": events}, headers=server.headers(role)
    )


def test_an_offline_walk_up_is_accepted_once(server: BackendServer) -> None:
    order_id = str(uuid.uuid4())
    events = [
        _event("OrderStarted", order_id, {"customer_name": " Walk\x1b[1m In ", "walkup": True}, 9),
        _event("OrderPlaced", order_id, {"number": 9001, "item": "latte", "options": {"milk": "Oat"}}, 8),
        {**_event("OrderClaimed", order_id, {"barista": "Ann"}, 7), "seq": 99999},
        _event("OrderCompleted", order_id, {"barista": "Ann"}, 6),
    ]
    first = _push(server, events)
    assert first.status_code == 200
    body = first.json()
    assert body["accepted"] == 4 and body["duplicates"] == 0
    assert (
        body["last_seq"]
        == httpx.get(
            f"{server.url}/api/v1/stores/booth/events",
            headers=server.headers("display"),
            params={"limit": 1000},
        ).json()["last_seq"]
    )
    order = httpx.get(f"{server.url}/api/v1/orders/{order_id}", headers=server.headers("display")).json()
    assert order["state"] == "completed" and order["number"] == 9001
    assert order["customer_name"] == "Walk In" and order["origin"] == "till-1"
    again = _push(server, events).json()
    assert again["accepted"] == 0 and again["duplicates"] == 4 and again["last_seq"] == body["last_seq"]


def test_pushed_steps_of_a_known_order_are_stored_even_when_they_conflict(server: BackendServer) -> None:
    order, _ = place_order(server, "Net Ned")
    httpx.post(f"{server.url}/api/v1/orders/{order['id']}/cancel", headers=server.headers())
    # The device completed it while offline, before the cancellation reached it.
    pushed = _push(server, [_event("OrderCompleted", order["id"], {"barista": "Ann"}, 30)])
    assert pushed.status_code == 200 and pushed.json()["accepted"] == 1
    now = httpx.get(f"{server.url}/api/v1/orders/{order['id']}", headers=server.headers("display")).json()
    assert now["state"] == "completed"  # the earliest ending wins (the core's rule)


def test_refusals_store_nothing(server: BackendServer) -> None:
    before = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display")).json()
    order_id = str(uuid.uuid4())
    good = _event("OrderStarted", order_id, {"customer_name": "Ok", "walkup": True})
    cases = [
        ([good, _event("StoreOpened", None, {})], 403, "forbidden"),
        ([good, _event("OrderTimedOut", order_id, {"reason": "customer_timeout"})], 403, "forbidden"),
        (
            [_event("OrderStarted", str(uuid.uuid4()), {"customer_name": "Phone", "walkup": False})],
            403,
            "forbidden",
        ),
        ([good, _event("OrderClaimed", str(uuid.uuid4()), {"barista": "Ann"})], 422, "validation_error"),
        ([good, _event("OrderClaimed", order_id, {})], 422, "validation_error"),
        ([{**good, "store": "elsewhere"}], 422, "validation_error"),
        ([{**good, "type": "OrderExploded"}], 422, "validation_error"),
        (
            [_event("OrderStarted", order_id, {"customer_name": "\x1b[0m", "walkup": True})],
            422,
            "validation_error",
        ),
    ]
    for events, status, code in cases:
        response = _push(server, events)
        assert response.status_code == status and response.json()["code"] == code, (events, response.text)
    after = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display")).json()
    assert after["last_seq"] == before["last_seq"]
    assert _push(server, [good], role="display").status_code == 403
    assert httpx.post(f"{server.url}/api/v1/stores/booth/events", json={"events": [good]}).status_code == 401

"""Two `espresso serve` processes on one PostgreSQL database: one log, one stream, and no
number or code use ever given twice."""

from __future__ import annotations

import concurrent.futures

import httpx
import pytest

from tests.support.api import current_code, place_order, start_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer
from tests.support.sse import SseReader

pytestmark = pytest.mark.postgres


def _pair(server_factory: ServerFactory, pg_url: str, **store: object) -> tuple[BackendServer, BackendServer]:
    settings = {"drinks_per_code": 12, "max_queue": 1000, **store}
    return server_factory(database=pg_url, store=settings), server_factory(database=pg_url, store=settings)


@pytest.fixture
def pair(server_factory: ServerFactory, pg_url: str) -> tuple[BackendServer, BackendServer]:
    return _pair(server_factory, pg_url)


def _all_events(server: BackendServer) -> list[dict[str, object]]:
    response = httpx.get(
        f"{server.url}/api/v1/stores/booth/events", params={"limit": 1000}, headers=server.headers("display")
    )
    return list(response.json()["events"])


def test_two_processes_share_one_log_and_one_stream(pair: tuple[BackendServer, BackendServer]) -> None:
    one, two = pair
    seeded = [e["type"] for e in _all_events(one)]
    assert seeded == ["MenuChanged", "StoreOpened"]  # the second process did not seed again
    with SseReader(
        f"{two.url}/api/v1/stores/booth/events/stream",
        params={"access_token": two.display_token, "after": 2},
    ) as stream:
        order, token = place_order(one, "Cross Process")
        started = stream.wait_for(lambda m: m.event == "OrderStarted", timeout=5).json()
        placed = stream.wait_for(lambda m: m.event == "OrderPlaced", timeout=5).json()
    assert started["order_id"] == placed["order_id"] == order["id"]
    # The order token made by one process works on the other; the order is known there.
    seen = httpx.get(f"{two.url}/api/v1/orders/{order['id']}", headers={"Authorization": f"Bearer {token}"})
    assert seen.status_code == 200 and seen.json()["number"] == order["number"]
    claimed = httpx.post(f"{two.url}/api/v1/orders/{order['id']}/claim", headers=two.headers())
    assert claimed.status_code == 200
    taken = httpx.post(
        f"{one.url}/api/v1/orders/{order['id']}/claim", headers=one.headers(**{"X-Barista": "Bo"})
    )
    assert taken.status_code == 409 and taken.json()["code"] == "already_claimed"


def test_numbers_and_code_uses_are_never_given_twice(pair: tuple[BackendServer, BackendServer]) -> None:
    one, two = pair
    code = current_code(one)
    assert current_code(two) == code  # both processes show the same code

    def attempt(index: int) -> httpx.Response:
        server = (one, two)[index % 2]
        body = {"code": code, "customer_name": f"Guest {index}"}
        return httpx.post(f"{server.url}/api/v1/stores/booth/orders", json=body, timeout=30)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(attempt, range(20)))
    started = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code != 201]
    assert len(started) == 12  # drinks_per_code, across both processes
    assert {a.json()["code"] for a in refused} == {"code_exhausted"}

    def choose(answer: httpx.Response, index: int) -> int:
        server = (one, two)[index % 2]
        order, token = answer.json()["order"], answer.json()["order_token"]
        response = httpx.put(
            f"{server.url}/api/v1/orders/{order['id']}/drink",
            json={"item": "americano"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        number: int = response.json()["number"]
        return number

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(choose, started, range(len(started))))
    assert sorted(numbers) == list(range(1, 13))
    lease = httpx.post(
        f"{two.url}/api/v1/stores/booth/number-leases",
        json={"device": "till", "size": 3},
        headers=two.headers(),
    )
    assert lease.json() == {"start": 13, "end": 15}


def test_a_timeout_is_recorded_once_though_both_processes_watch_it(
    server_factory: ServerFactory, pg_url: str
) -> None:
    one, two = _pair(server_factory, pg_url, customer_timeout_s=1)
    order, _ = start_order(one, "Two Clocks")
    with SseReader(f"{two.url}/api/v1/orders/{order['id']}/stream", headers=two.headers("display")) as stream:
        stream.wait_for(lambda m: m.event == "OrderTimedOut", timeout=10)
    # Let a late second attempt land if there were one: the next write goes after it.
    place_order(two, "After")
    timeouts = [e for e in _all_events(one) if e["type"] == "OrderTimedOut" and e["order_id"] == order["id"]]
    assert len(timeouts) == 1

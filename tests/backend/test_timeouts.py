"""Timeouts fire on their own, within a second of the deadline, and survive a restart."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from tests.support.api import place_order, start_order
from tests.support.fixtures import ServerFactory
from tests.support.sse import SseReader


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_customer_and_barista_timeouts_fire_with_no_request_arriving(server_factory: ServerFactory) -> None:
    server = server_factory(store={"customer_timeout_s": 1, "barista_timeout_s": 1.5})
    waiting, _ = start_order(server, "Slow Sam")
    placed, _ = place_order(server, "Left Lou")
    with SseReader(
        f"{server.url}/api/v1/stores/booth/events/stream", params={"access_token": server.display_token}
    ) as stream:
        timed_out = {}
        while len(timed_out) < 2:
            message = stream.wait_for(lambda m: m.event == "OrderTimedOut", timeout=10)
            event = message.json()
            timed_out[event["order_id"]] = event
    customer = timed_out[waiting["id"]]
    barista = timed_out[placed["id"]]
    assert customer["data"] == {"reason": "customer_timeout"}
    assert barista["data"] == {"reason": "barista_timeout"}
    for order, event in ((waiting, customer), (placed, barista)):
        late = (_time(event["time"]) - _time(order["deadline"])).total_seconds()
        assert 0 <= late < 1.0, late
        assert event["actor"] == "system" and event["origin"] == "backend"
        assert str(event["causation_id"]).startswith("timeout-sweeper-")
    final = httpx.get(f"{server.url}/api/v1/orders/{waiting['id']}", headers=server.headers("display")).json()
    assert (
        final["state"] == "timed_out" and final["reason"] == "customer_timeout" and final["deadline"] is None
    )
    stats = httpx.get(f"{server.url}/api/v1/stores/booth/stats", headers=server.headers("display")).json()
    assert stats["timed_out_today"] == 2


def test_a_timeout_that_fell_due_while_the_server_was_down_fires_after_restart(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(store={"customer_timeout_s": 1.5})
    order, _ = start_order(server, "Patient Pat")
    server.kill()
    deadline = _time(order["deadline"])
    while datetime.now(UTC) <= deadline:  # wait until it is overdue while nothing runs
        time.sleep(0.05)
    server.start()
    restarted = datetime.now(UTC)
    with SseReader(
        f"{server.url}/api/v1/orders/{order['id']}/stream", headers=server.headers("display")
    ) as stream:
        event = stream.wait_for(lambda m: m.event == "OrderTimedOut", timeout=10).json()
    assert event["data"] == {"reason": "customer_timeout"}
    assert (_time(event["time"]) - restarted).total_seconds() < 1.0


def test_an_order_that_moved_on_does_not_time_out(server_factory: ServerFactory) -> None:
    server = server_factory(store={"customer_timeout_s": 1, "barista_timeout_s": 30})
    order, _ = place_order(server, "Quick Quinn")  # placed: the customer timeout no longer applies
    with SseReader(
        f"{server.url}/api/v1/stores/booth/events/stream", params={"access_token": server.display_token}
    ) as stream:
        probe, _ = start_order(server, "Probe")  # times out after one second: our clock
        stream.wait_for(
            lambda m: m.event == "OrderTimedOut" and m.json()["order_id"] == probe["id"], timeout=10
        )
    still = httpx.get(f"{server.url}/api/v1/orders/{order['id']}", headers=server.headers("display")).json()
    assert still["state"] == "queued"

"""Hostile names through every way text gets into the log: a phone order, a walk-up, the
X-Barista header, a cancel reason and an offline push. Each is stored cleaned, with markup
kept literally, and nothing that drives a terminal reaches the log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.hardening.hostile import FORBIDDEN_CHARACTERS, HOSTILE_HEADER_NAMES, HOSTILE_NAMES
from tests.support.api import place_order, start_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _log(server: BackendServer) -> list[dict[str, Any]]:
    page = httpx.get(
        f"{server.url}/api/v1/stores/booth/events", params={"limit": 1000}, headers=server.headers("display")
    )
    events: list[dict[str, Any]] = page.json()["events"]
    return events


def _as(server: BackendServer, barista: bytes) -> dict[str, Any]:
    return {**server.headers("barista"), "X-Barista": barista}


@pytest.mark.parametrize(("raw", "shown"), HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_a_hostile_customer_name_is_stored_clean_and_literal(
    server: BackendServer, raw: str, shown: str
) -> None:
    _customer_name(server, raw, shown)


def _customer_name(server: BackendServer, raw: str, shown: str) -> None:
    phone, _ = start_order(server, raw)
    assert phone["customer_name"] == shown
    walkup = httpx.post(
        f"{server.url}/api/v1/stores/booth/walkups",
        json={"customer_name": raw, "item": "americano"},
        headers=server.headers(),
    )
    assert walkup.status_code == 201 and walkup.json()["customer_name"] == shown
    cancelled = httpx.post(
        f"{server.url}/api/v1/orders/{phone['id']}/cancel", json={"reason": raw}, headers=server.headers()
    )
    assert cancelled.json()["reason"] == f"barista: {shown}"


@pytest.mark.parametrize(("raw", "shown"), HOSTILE_HEADER_NAMES, ids=range(len(HOSTILE_HEADER_NAMES)))
def test_a_hostile_barista_name_is_stored_clean_and_literal(
    server: BackendServer, raw: bytes, shown: str
) -> None:
    _barista_name(server, raw, shown)


def _barista_name(server: BackendServer, raw: bytes, shown: str) -> None:
    order, _ = place_order(server, "Plain")
    claimed = httpx.post(f"{server.url}/api/v1/orders/{order['id']}/claim", headers=_as(server, raw))
    assert claimed.status_code == 200 and claimed.json()["barista"] == shown
    walkup = httpx.post(
        f"{server.url}/api/v1/stores/booth/walkups",
        json={"customer_name": "Counter", "item": "americano"},
        headers=_as(server, raw),
    )
    assert walkup.status_code == 201
    actors = {e["actor"] for e in _log(server) if e["order_id"] == walkup.json()["id"]}
    assert actors == {shown}


def test_a_barista_name_longer_than_an_event_holds_is_refused_not_a_crash(server: BackendServer) -> None:
    """X-Barista becomes the events' actor and barista (40 characters at most)."""
    order, _ = place_order(server, "Long")
    too_long = b"B" * 41
    for method, path, body in (
        ("POST", f"/api/v1/orders/{order['id']}/claim", None),
        ("POST", "/api/v1/stores/booth/walkups", {"customer_name": "W", "item": "americano"}),
        ("POST", "/api/v1/stores/booth/open", None),
        ("POST", "/api/v1/stores/booth/stock", {"item": "latte", "available": True}),
        ("POST", f"/api/v1/orders/{order['id']}/cancel", None),
    ):
        response = httpx.request(method, server.url + path, json=body, headers=_as(server, b"B" * 200))
        assert (response.status_code, response.json()["code"]) == (422, "validation_error"), path
        response = httpx.request(method, server.url + path, json=body, headers=_as(server, too_long))
        assert response.status_code == 422, path
    # Forty, plus characters that cleaning removes, is fine.
    ok = httpx.post(
        f"{server.url}/api/v1/orders/{order['id']}/claim", headers=_as(server, b"B" * 40 + b"\x9b1m")
    )
    assert ok.status_code == 200 and ok.json()["barista"] == "B" * 40


def _walkup_events(name: str, reason: str) -> list[dict[str, Any]]:
    order_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()

    def event(type_: str, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "store": "booth",
            "type": type_,
            "time": now,
            "order_id": order_id,
            "actor": name,
            "origin": "till\x1b[2J",
            "data": data,
        }

    return [
        event("OrderStarted", {"customer_name": name, "walkup": True}),
        event("OrderPlaced", {"number": 7000 + len(name), "item": "americano", "options": {}}),
        event("OrderCancelled", {"reason": f"barista: {reason}"}),
    ]


@pytest.mark.parametrize(("raw", "shown"), HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_text_in_pushed_events_is_cleaned(server: BackendServer, raw: str, shown: str) -> None:
    _pushed(server, raw, shown)


def _pushed(server: BackendServer, raw: str, shown: str) -> None:
    pushed = httpx.post(
        f"{server.url}/api/v1/stores/booth/events",
        json={"events": _walkup_events(raw, raw)},
        headers=server.headers(),
    )
    assert pushed.status_code == 200 and pushed.json()["accepted"] == 3, pushed.text
    log = _log(server)
    started = [e for e in log if e["type"] == "OrderStarted" and e["origin"] == "till"]
    assert shown in {e["data"]["customer_name"] for e in started}
    assert f"barista: {shown}" in {e["data"].get("reason") for e in log if e["type"] == "OrderCancelled"}


def test_nothing_that_drives_a_terminal_is_in_the_log(server_factory: ServerFactory) -> None:
    """Every hostile text through every way in, on a server of its own; then every string of
    every event it stored."""
    server = server_factory(store={"drinks_per_code": 1000, "max_queue": 1000})
    for raw, shown in HOSTILE_NAMES:
        _customer_name(server, raw, shown)
        _pushed(server, raw, shown)
    for raw_header, shown in HOSTILE_HEADER_NAMES:
        _barista_name(server, raw_header, shown)
    events = _log(server)
    assert len(events) > 60
    texts = [s for event in events for s in _strings(event)]
    bad = [t for t in texts if FORBIDDEN_CHARACTERS & set(t)]
    assert bad == []
    names = {e["data"].get("customer_name") for e in events} | {e["data"].get("barista") for e in events}
    for _, shown in HOSTILE_NAMES:
        assert shown in names  # and the markup-like ones are there, literally

"""Open/close, menu and stock, number leases and stats."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import place_order, start_order
from tests.support.config import MENU
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

ROOMY = {"drinks_per_code": 1000, "max_queue": 1000}
STORES = ("open-close", "menu", "stock", "leases", "stats")


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    # One server, one store per test: the tests change their store's state freely.
    return module_server_factory(stores={name: ROOMY for name in STORES})


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    for name in STORES:
        if name.replace("-", "_") in request.node.name:
            return name
    raise AssertionError(f"no store for {request.node.name}")


def _last_seq(server: BackendServer, store: str) -> int:
    response = httpx.get(f"{server.url}/api/v1/stores/{store}/events", headers=server.headers("display"))
    seq: int = response.json()["last_seq"]
    return seq


def _events_since(server: BackendServer, store: str, after: int) -> list[dict[str, object]]:
    response = httpx.get(
        f"{server.url}/api/v1/stores/{store}/events",
        params={"after": after},
        headers=server.headers("display"),
    )
    return list(response.json()["events"])


def test_open_close_record_only_changes(server: BackendServer, store: str) -> None:
    url = f"{server.url}/api/v1/stores/{store}"
    before = _last_seq(server, store)
    opened = httpx.post(url + "/open", headers=server.headers())
    assert opened.status_code == 200 and opened.json()["open"] is True
    assert _last_seq(server, store) == before  # already open: nothing recorded
    order, _ = place_order(server, "Ann", store=store)
    closed = httpx.post(url + "/close", headers=server.headers(**{"X-Barista": "Max"}))
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert httpx.post(url + "/close", headers=server.headers()).status_code == 200
    recorded = _events_since(server, store, before)
    assert [e["type"] for e in recorded][-1] == "StoreClosed"
    assert [e["type"] for e in recorded].count("StoreClosed") == 1
    assert recorded[-1]["actor"] == "Max"
    # Open orders carry on while closed.
    done = httpx.post(f"{server.url}/api/v1/orders/{order['id']}/complete", headers=server.headers())
    assert done.status_code == 200
    walkup = httpx.post(
        url + "/walkups", json={"customer_name": "Kim", "item": "latte"}, headers=server.headers()
    )
    assert walkup.status_code == 409 and walkup.json()["code"] == "store_closed"
    assert httpx.get(url).json()["open"] is False


def test_menu_replacement_and_its_validation(server: BackendServer, store: str) -> None:
    url = f"{server.url}/api/v1/stores/{store}/menu"
    admin = server.headers("admin")
    tea = {"id": "tea", "name": "Tea", "available": True, "options": []}
    new_menu = [*MENU[:2], tea]
    replaced = httpx.put(url, json=new_menu, headers=admin)
    assert replaced.status_code == 200
    assert [i["id"] for i in replaced.json()["menu"]] == ["espresso", "flat-white", "tea"]
    assert httpx.get(f"{server.url}/api/v1/stores/{store}").json()["menu"] == replaced.json()["menu"]
    before = _last_seq(server, store)
    assert httpx.put(url, json=new_menu, headers=admin).status_code == 200
    assert _last_seq(server, store) == before  # the same menu again records nothing
    no_choices = {
        "id": "x",
        "name": "X",
        "options": [{"id": "o", "name": "O", "choices": [], "default": "a"}],
    }
    bad_default = {
        "id": "x",
        "name": "X",
        "options": [{"id": "o", "name": "O", "choices": ["a"], "default": "b"}],
    }
    for bad in ([tea, tea], [no_choices], [bad_default], {"not": "a list"}, [{"id": "x"}]):
        refused = httpx.put(url, json=bad, headers=admin)
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", bad
    order, token = start_order(server, "Tia", store=store)
    gone = httpx.put(
        f"{server.url}/api/v1/orders/{order['id']}/drink",
        json={"item": "latte"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert gone.status_code == 422  # latte is no longer on the menu


def test_stock_marks_items_and_choices_run_out_and_back(server: BackendServer, store: str) -> None:
    url = f"{server.url}/api/v1/stores/{store}/stock"
    barista = server.headers()
    out = httpx.post(url, json={"option": "milk", "choice": "whole", "available": False}, headers=barista)
    assert out.status_code == 200
    for item in out.json()["menu"]:
        for option in item["options"]:
            if option["id"] == "milk":
                assert option["unavailable"] == ["Whole"]
    order, token = start_order(server, "Oat Olly", store=store)
    drink = f"{server.url}/api/v1/orders/{order['id']}/drink"
    customer = {"Authorization": f"Bearer {token}"}
    default_gone = httpx.put(drink, json={"item": "flat-white"}, headers=customer)
    assert default_gone.status_code == 422  # the default ran out: the customer must choose
    chosen_gone = httpx.put(
        drink, json={"item": "flat-white", "options": {"milk": "Whole"}}, headers=customer
    )
    assert chosen_gone.status_code == 422
    before = _last_seq(server, store)
    assert (
        httpx.post(
            url, json={"option": "milk", "choice": "Whole", "available": False}, headers=barista
        ).status_code
        == 200
    )
    assert _last_seq(server, store) == before  # nothing changed, nothing recorded
    item_out = httpx.post(url, json={"item": "flat-white", "available": False}, headers=barista)
    assert [i["available"] for i in item_out.json()["menu"] if i["id"] == "flat-white"] == [False]
    assert (
        httpx.put(
            drink, json={"item": "flat-white", "options": {"milk": "Oat"}}, headers=customer
        ).status_code
        == 422
    )
    httpx.post(url, json={"item": "flat-white", "available": True}, headers=barista)
    httpx.post(url, json={"option": "milk", "choice": "Whole", "available": True}, headers=barista)
    assert httpx.put(drink, json={"item": "flat-white"}, headers=customer).json()["options"] == {
        "milk": "Whole"
    }
    for bad in (
        {"item": "tea", "available": False},
        {"option": "milk", "choice": "Goat", "available": False},
        {"item": "latte"},
        {"item": "latte", "option": "milk", "available": False},
    ):
        refused = httpx.post(url, json=bad, headers=barista)
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", bad
    assert (
        httpx.post(
            url, json={"item": "latte", "available": False}, headers=server.headers("display")
        ).status_code
        == 403
    )


def test_number_leases_give_each_device_its_own_block(server: BackendServer, store: str) -> None:
    url = f"{server.url}/api/v1/stores/{store}/number-leases"
    first_order, _ = place_order(server, "Before", store=store)
    lease = httpx.post(url, json={"device": "till-1", "size": 5}, headers=server.headers())
    assert lease.status_code == 201
    block = lease.json()
    assert block == {"start": first_order["number"] + 1, "end": first_order["number"] + 5}
    default = httpx.post(url, json={"device": "till-2"}, headers=server.headers()).json()
    assert default["start"] == block["end"] + 1 and default["end"] - default["start"] + 1 == 50
    capped = httpx.post(url, json={"device": "till-3", "size": 10_000}, headers=server.headers()).json()
    assert capped["end"] - capped["start"] + 1 == 500
    after, _ = place_order(server, "After", store=store)
    assert after["number"] == capped["end"] + 1  # leased numbers are never given again
    for bad in (
        {"device": "x", "size": 0},
        {"device": "x", "size": -3},
        {"size": 5},
        {"device": "", "size": 5},
    ):
        refused = httpx.post(url, json=bad, headers=server.headers())
        assert refused.status_code == 422, bad
    assert httpx.post(url, json={"device": "x"}, headers=server.headers("display")).status_code == 403


def test_stats_count_today(server: BackendServer, store: str) -> None:
    url = f"{server.url}/api/v1/stores/{store}/stats"
    empty = httpx.get(url, headers=server.headers("display")).json()
    assert empty == {
        "served_today": 0,
        "cancelled_today": 0,
        "timed_out_today": 0,
        "queued": 0,
        "making": 0,
        "avg_wait_s": None,
        "avg_make_s": None,
        "by_item": {},
    }
    a, _ = place_order(server, "A", item="latte", store=store)
    b, _ = place_order(server, "B", item="latte", store=store)
    c, _ = place_order(server, "C", item="espresso", store=store)
    d, _ = place_order(server, "D", item="espresso", store=store)
    orders = f"{server.url}/api/v1/orders"
    httpx.post(f"{orders}/{a['id']}/claim", headers=server.headers())
    httpx.post(f"{orders}/{a['id']}/complete", headers=server.headers())
    httpx.post(f"{orders}/{b['id']}/complete", headers=server.headers())  # no claim: no make time
    httpx.post(f"{orders}/{c['id']}/cancel", headers=server.headers())
    httpx.post(f"{orders}/{d['id']}/claim", headers=server.headers())
    stats = httpx.get(url, headers=server.headers("display")).json()
    assert stats["served_today"] == 2 and stats["cancelled_today"] == 1 and stats["timed_out_today"] == 0
    assert stats["queued"] == 0 and stats["making"] == 1
    assert stats["by_item"] == {"latte": 2}
    assert stats["avg_wait_s"] is not None and stats["avg_wait_s"] >= 0
    assert stats["avg_make_s"] is not None and stats["avg_make_s"] <= stats["avg_wait_s"] * 2
    assert httpx.get(url).status_code == 401

"""An order's whole life over HTTP, against a real `espresso serve`, read back from the
event stream the way the kiosk and the barista terminal read it."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import current_code, place_order, start_order
from tests.support.config import STORE_DEFAULTS
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer
from tests.support.sse import SseReader

ROOMY = {"drinks_per_code": 1000, "max_queue": 1000}


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(store=ROOMY)


def test_an_order_from_code_to_completion_is_seen_on_the_store_stream(server: BackendServer) -> None:
    after = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display")).json()
    with SseReader(
        f"{server.url}/api/v1/stores/booth/events/stream",
        params={"after": after["last_seq"], "access_token": server.display_token},
    ) as stream:
        assert stream.status == 200
        order, token = start_order(server, "Ada Lovelace", customer_id="phone-1")
        assert order["state"] == "started" and order["number"] is None and order["item"] is None
        customer = {"Authorization": f"Bearer {token}"}
        placed = httpx.put(
            f"{server.url}/api/v1/orders/{order['id']}/drink",
            json={"item": "latte", "options": {"milk": "oat"}},
            headers=customer,
        ).json()
        assert placed["state"] == "queued"
        assert placed["options"] == {"milk": "Oat", "size": "Small"}  # menu spelling, default filled in
        assert isinstance(placed["number"], int)
        barista = server.headers("barista", **{"X-Barista": "Grace"})
        claimed = httpx.post(f"{server.url}/api/v1/orders/{order['id']}/claim", headers=barista).json()
        assert claimed["state"] == "making" and claimed["barista"] == "Grace"
        assert claimed["deadline"] == placed["deadline"]  # claiming does not move the deadline
        done = httpx.post(f"{server.url}/api/v1/orders/{order['id']}/complete", headers=barista).json()
        assert done["state"] == "completed" and done["deadline"] is None

        messages = [stream.wait_for(lambda m: m.event == "OrderStarted")]
        messages += stream.events(3)
    assert [m.event for m in messages] == ["OrderStarted", "OrderPlaced", "OrderClaimed", "OrderCompleted"]
    events = [m.json() for m in messages]
    assert [int(m.id or 0) for m in messages] == [e["seq"] for e in events]
    assert all(e["order_id"] == order["id"] for e in events)
    assert events[0]["data"] == {"customer_name": "Ada Lovelace", "customer_id": "phone-1", "walkup": False}
    assert events[0]["actor"] == "customer" and events[0]["origin"] == "backend"
    assert events[1]["data"]["number"] == placed["number"]
    assert events[2]["actor"] == "Grace" and events[2]["data"] == {"barista": "Grace"}
    # The customer reads the finished order with their token.
    final = httpx.get(f"{server.url}/api/v1/orders/{order['id']}", headers=customer).json()
    assert final == done


def test_the_store_object_describes_menu_queue_and_limits(server: BackendServer) -> None:
    store = httpx.get(f"{server.url}/api/v1/stores/booth").json()
    assert store["id"] == "booth" and store["name"] == "Test Espresso" and store["open"] is True
    assert [item["id"] for item in store["menu"]] == ["espresso", "flat-white", "latte", "americano"]
    milk = store["menu"][1]["options"][0]
    assert milk == {
        "id": "milk",
        "name": "Milk",
        "choices": ["Whole", "Oat", "Soy"],
        "default": "Whole",
        "unavailable": [],
    }
    assert set(store["queue"]) == {"started", "queued", "making", "capacity"}
    assert store["queue"]["capacity"] == 1000
    assert store["limits"] == {
        "drinks_per_code": 1000,
        "code_rotation_s": STORE_DEFAULTS["code_rotation_s"],
        "customer_timeout_s": 300,
        "barista_timeout_s": 900,
    }


def test_the_order_stream_sends_past_then_live_events_of_that_order_only(server: BackendServer) -> None:
    order, token = place_order(server, "Lin")
    other, _ = place_order(server, "Mo")
    with SseReader(
        f"{server.url}/api/v1/orders/{order['id']}/stream", params={"access_token": token}
    ) as stream:
        past = stream.events(2)
        assert [m.event for m in past] == ["OrderStarted", "OrderPlaced"]
        httpx.post(f"{server.url}/api/v1/orders/{other['id']}/claim", headers=server.headers())
        httpx.post(
            f"{server.url}/api/v1/orders/{order['id']}/cancel",
            json={"reason": "changed my mind"},
            headers={"Authorization": f"Bearer {token}"},
        )
        live = stream.next()
        assert live is not None and live.event == "OrderCancelled"
        assert live.json()["order_id"] == order["id"]
        assert live.json()["data"] == {"reason": "customer"}


def test_order_numbers_count_up_and_orders_list_oldest_first(server: BackendServer) -> None:
    first, _ = place_order(server, "One")
    second, _ = place_order(server, "Two")
    assert second["number"] == first["number"] + 1
    listed = httpx.get(
        f"{server.url}/api/v1/stores/booth/orders",
        params={"state": "queued"},
        headers=server.headers("display"),
    ).json()["orders"]
    ids = [o["id"] for o in listed]
    assert ids.index(first["id"]) < ids.index(second["id"])
    assert all(o["state"] == "queued" for o in listed)
    default = httpx.get(f"{server.url}/api/v1/stores/booth/orders", headers=server.headers("display")).json()
    assert all(o["state"] in ("started", "queued", "making") for o in default["orders"])
    limited = httpx.get(
        f"{server.url}/api/v1/stores/booth/orders", params={"limit": 1}, headers=server.headers("display")
    ).json()
    assert len(limited["orders"]) == 1
    bad = httpx.get(
        f"{server.url}/api/v1/stores/booth/orders",
        params={"state": "queued,brewing"},
        headers=server.headers("display"),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_customer_cancels_until_making_and_barista_until_the_end(server: BackendServer) -> None:
    customer_order, token = place_order(server, "Ann")
    customer = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{server.url}/api/v1/orders/{customer_order['id']}/claim", headers=server.headers())
    refused = httpx.post(f"{server.url}/api/v1/orders/{customer_order['id']}/cancel", headers=customer)
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    by_barista = httpx.post(
        f"{server.url}/api/v1/orders/{customer_order['id']}/cancel",
        json={"reason": "  out of\x1b[31m beans "},
        headers=server.headers(),
    )
    assert by_barista.status_code == 200
    assert by_barista.json()["state"] == "cancelled"
    assert by_barista.json()["reason"] == "barista: out of beans"
    again = httpx.post(f"{server.url}/api/v1/orders/{customer_order['id']}/cancel", headers=server.headers())
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"

    started, token2 = start_order(server, "Ben")
    gone = httpx.post(
        f"{server.url}/api/v1/orders/{started['id']}/cancel", headers={"Authorization": f"Bearer {token2}"}
    )
    assert gone.status_code == 200 and gone.json()["reason"] == "customer"
    plain = place_order(server, "Cy")[0]
    no_text = httpx.post(f"{server.url}/api/v1/orders/{plain['id']}/cancel", headers=server.headers())
    assert no_text.json()["reason"] == "barista"


def test_claims_conflict_and_complete_skips_the_claim(server: BackendServer) -> None:
    order, _ = place_order(server, "Dee")
    url = f"{server.url}/api/v1/orders/{order['id']}"
    assert httpx.post(url + "/claim", headers=server.headers(**{"X-Barista": "Ann"})).status_code == 200
    taken = httpx.post(url + "/claim", headers=server.headers(**{"X-Barista": "Bob"}))
    assert taken.status_code == 409 and taken.json()["code"] == "already_claimed"
    released = httpx.post(url + "/unclaim", headers=server.headers(**{"X-Barista": "Ann"}))
    assert (
        released.status_code == 200
        and released.json()["state"] == "queued"
        and released.json()["barista"] is None
    )
    unclaim_again = httpx.post(url + "/unclaim", headers=server.headers())
    assert unclaim_again.status_code == 409 and unclaim_again.json()["code"] == "invalid_transition"
    quick, _ = place_order(server, "Eve")
    done = httpx.post(f"{server.url}/api/v1/orders/{quick['id']}/complete", headers=server.headers())
    assert done.status_code == 200 and done.json()["state"] == "completed"
    assert done.json()["barista"] == "barista"  # no X-Barista: the role's name
    late = httpx.post(f"{server.url}/api/v1/orders/{quick['id']}/claim", headers=server.headers())
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"


def test_drink_rules(server: BackendServer) -> None:
    order, token = start_order(server, "Fay")
    url = f"{server.url}/api/v1/orders/{order['id']}/drink"
    customer = {"Authorization": f"Bearer {token}"}
    for body in (
        {"item": "mocha"},
        {"item": "latte", "options": {"sugar": "yes"}},
        {"item": "latte", "options": {"milk": "goat"}},
        {"options": {}},
    ):
        refused = httpx.put(url, json=body, headers=customer)
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", body
    staff = httpx.put(url, json={"item": "latte"}, headers=server.headers("admin"))
    assert staff.status_code == 403 and staff.json()["code"] == "forbidden"
    assert httpx.put(url, json={"item": "americano"}, headers=customer).status_code == 200
    twice = httpx.put(url, json={"item": "americano"}, headers=customer)
    assert twice.status_code == 409 and twice.json()["code"] == "invalid_transition"


def test_an_order_token_opens_only_its_own_order(server: BackendServer) -> None:
    mine, token = start_order(server, "Gus")
    theirs, _ = start_order(server, "Hal")
    customer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/api/v1/orders/{mine['id']}", headers=customer).status_code == 200
    other = httpx.get(f"{server.url}/api/v1/orders/{theirs['id']}", headers=customer)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    cancel_other = httpx.post(f"{server.url}/api/v1/orders/{theirs['id']}/cancel", headers=customer)
    assert cancel_other.status_code == 404
    for method, path in (
        ("GET", "/api/v1/stores/booth/orders"),
        ("GET", "/api/v1/stores/booth/code"),
        ("POST", f"/api/v1/orders/{mine['id']}/claim"),
        ("POST", "/api/v1/stores/booth/close"),
    ):
        response = httpx.request(method, server.url + path, headers=customer)
        assert response.status_code == 403 and response.json()["code"] == "forbidden", path
    forged = {"Authorization": f"Bearer {mine['id']}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}
    assert httpx.get(f"{server.url}/api/v1/orders/{mine['id']}", headers=forged).status_code == 401
    nobody = httpx.get(f"{server.url}/api/v1/orders/{mine['id']}")
    assert nobody.status_code == 401 and nobody.json()["code"] == "unauthorized"
    display = httpx.get(f"{server.url}/api/v1/orders/{mine['id']}", headers=server.headers("display"))
    assert display.status_code == 200 and display.json()["customer_name"] == "Gus"
    as_display = httpx.post(
        f"{server.url}/api/v1/orders/{mine['id']}/cancel", headers=server.headers("display")
    )
    assert as_display.status_code == 403
    unknown = httpx.get(f"{server.url}/api/v1/orders/no-such-order", headers=server.headers("display"))
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_customer_names_are_cleaned_and_kept_literally(server: BackendServer) -> None:
    order, _ = start_order(server, "  <b>Ada</b> [red]\u202e\x1b[2J\x07 ")
    assert order["customer_name"] == "<b>Ada</b> [red]"
    code = current_code(server)
    for name in ("", "   ", "\x1b[31m", "x" * 41):
        refused = httpx.post(
            f"{server.url}/api/v1/stores/booth/orders", json={"code": code, "customer_name": name}
        )
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", name
    assert start_order(server, "x" * 40)[0]["customer_name"] == "x" * 40


def test_walk_ups_are_queued_with_a_number_at_once(server: BackendServer) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/stores/booth/walkups",
        json={"customer_name": "Counter Kim", "item": "espresso", "options": {"shots": "double"}},
        headers=server.headers(**{"X-Barista": "Ann"}),
    )
    assert response.status_code == 201
    order = response.json()
    assert order["state"] == "queued" and order["number"] >= 1 and order["options"] == {"shots": "Double"}
    events = httpx.get(
        f"{server.url}/api/v1/stores/booth/events",
        params={"after": 0, "limit": 1000},
        headers=server.headers("display"),
    ).json()["events"]
    mine = [e for e in events if e["order_id"] == order["id"]]
    assert [e["type"] for e in mine] == ["OrderStarted", "OrderPlaced"]
    assert mine[0]["data"]["walkup"] is True and mine[0]["actor"] == "Ann"
    bad = httpx.post(
        f"{server.url}/api/v1/stores/booth/walkups",
        json={"customer_name": "Kim", "item": "tea"},
        headers=server.headers(),
    )
    assert bad.status_code == 422
    as_display = httpx.post(
        f"{server.url}/api/v1/stores/booth/walkups",
        json={"customer_name": "Kim", "item": "espresso"},
        headers=server.headers("display"),
    )
    assert as_display.status_code == 403


def test_events_list_pages_by_seq(server: BackendServer) -> None:
    url = f"{server.url}/api/v1/stores/booth/events"
    first = httpx.get(url, params={"after": 0, "limit": 2}, headers=server.headers("display")).json()
    assert [e["seq"] for e in first["events"]] == [1, 2] and first["last_seq"] == 2
    assert first["events"][0]["type"] == "MenuChanged"  # the seeded menu
    rest = httpx.get(url, params={"after": 2}, headers=server.headers("display")).json()
    assert rest["events"][0]["seq"] == 3
    beyond = httpx.get(url, params={"after": 10**9}, headers=server.headers("display")).json()
    assert beyond == {"events": [], "last_seq": 10**9}
    assert httpx.get(url, params={"after": -1}, headers=server.headers("display")).status_code == 422
    assert httpx.get(url, params={"limit": "many"}, headers=server.headers("display")).status_code == 422
    assert httpx.get(url).status_code == 401

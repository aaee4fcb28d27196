"""Online: the client follows the real backend's stream and sends commands that show at once."""

from __future__ import annotations

from core.errors import ErrorCode
from core.orders import OrderStatus
from core.sync.client import StoreClient
from tests.support.api import place_order
from tests.support.server import BackendServer
from tests.sync.conftest import ClientFactory
from tests.sync.waiting import until


async def online(client: StoreClient) -> StoreClient:
    await client.start()
    await until(lambda: client.status.online, 10, "online")
    return client


async def test_a_phone_order_appears_on_the_feed(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    client = await online(make_client(backend_server.url, backend_server.display_token, device_name="kiosk"))
    order, _ = place_order(backend_server, "Ada", "latte")
    await until(lambda: (o := client.projection.order(order["id"])) is not None and o.number, 5, "the order")
    seen = client.projection.order(order["id"])
    assert seen is not None and seen.status is OrderStatus.QUEUED and seen.number == order["number"]
    updates = client.recorder.updates  # type: ignore[attr-defined]
    assert any(c.after.id == order["id"] for u in updates for c in u.changes)
    await until(lambda: client.store_info.name == "Test Espresso", 5, "the store object")
    assert client.store_info.limits["drinks_per_code"] == 10


async def test_claim_and_complete_show_at_once_and_a_second_claim_names_who(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    ana = await online(make_client(backend_server.url, backend_server.barista_token, "Ana"))
    bob = await online(make_client(backend_server.url, backend_server.barista_token, "Bob"))
    order, _ = place_order(backend_server)
    await until(lambda: ana.projection.order(order["id"]) and bob.projection.order(order["id"]), 5)

    claimed = await ana.claim(order["id"])
    assert claimed.ok and not claimed.queued_offline
    shown = ana.projection.order(order["id"])  # no waiting for the stream
    assert shown is not None and shown.status is OrderStatus.MAKING and shown.barista == "Ana"

    refused = await bob.claim(order["id"])
    assert not refused.ok and refused.error is ErrorCode.ALREADY_CLAIMED
    assert refused.detail == f"#{order['number']} is being made by Ana"

    done = await ana.complete(order["id"])
    assert done.ok and done.order is not None and done.order.status is OrderStatus.COMPLETED
    again = await bob.cancel(order["id"], "spilled")
    assert not again.ok and again.error is ErrorCode.INVALID_TRANSITION
    assert again.detail == f"#{order['number']} was already completed by Ana"


async def test_an_online_walk_up_gets_the_backends_number(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    ana = await online(make_client(backend_server.url, backend_server.barista_token, "Ana"))
    result = await ana.walk_up("Lin", "flat-white", {"milk": "oat"})
    assert result.ok and not result.queued_offline and result.order is not None
    assert result.order.walkup and result.order.number is not None and result.order.options == {"milk": "Oat"}
    with backend_server.client("display") as http:
        listed = http.get("/api/v1/stores/booth/orders").json()["orders"]
    assert [o["id"] for o in listed] == [result.order.id]


async def test_a_barista_keeps_a_lease_of_numbers_for_offline_walk_ups(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    ana = await online(make_client(backend_server.url, backend_server.barista_token, "Ana", lease_size=30))
    await until(lambda: ana.replica.free_numbers(ana.today()) >= 20, 5, "a lease")
    order, _ = place_order(backend_server)
    assert order["number"] == 31  # the lease took 1 to 30 of today's numbers


async def test_the_kiosk_gets_the_code_and_none_once_the_store_is_closed(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    kiosk = await online(make_client(backend_server.url, backend_server.display_token, device_name="kiosk"))
    code = await kiosk.fetch_code()
    assert code is not None and code.url.endswith(code.code) and code.remaining == 10
    ana = await online(make_client(backend_server.url, backend_server.barista_token, "Ana"))
    closed = await ana.close_store()
    assert closed.ok and not ana.projection.is_open
    await until(lambda: not kiosk.projection.is_open, 5, "the kiosk to see it closed")
    assert await kiosk.fetch_code() is None


async def test_a_wrong_token_is_told_once_in_plain_words(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    client = make_client(backend_server.url, "not-a-token", device_name="kiosk")
    await client.start()
    await until(lambda: client.recorder.notices, 5, "a notice")  # type: ignore[attr-defined]
    assert "refused this device" in client.recorder.notices[0]  # type: ignore[attr-defined]
    assert not client.status.online


async def test_a_barista_with_a_name_beyond_ascii_claims_under_that_name(
    backend_server: BackendServer, make_client: ClientFactory
) -> None:
    zoe = await online(make_client(backend_server.url, backend_server.barista_token, "Zoë Łukasz"))
    order, _ = place_order(backend_server)
    await until(lambda: zoe.projection.order(order["id"]) is not None, 5)
    claimed = await zoe.claim(order["id"])
    assert claimed.ok and claimed.order is not None and claimed.order.barista == "Zoë Łukasz"
    walk_up = await zoe.walk_up("Ana", "espresso", {})
    assert walk_up.ok and walk_up.order is not None
    assert [e.actor for e in walk_up.order.events] == ["Zoë Łukasz", "Zoë Łukasz"]

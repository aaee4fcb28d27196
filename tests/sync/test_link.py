"""The link drops and returns: the client notices within 5 s, keeps working, and on
reconnect delivers its outbox exactly once and tells the barista of any command that lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from core.orders import OrderStatus
from core.sync.client import StoreClient
from core.sync.commanding import STILL_SENDING
from core.sync.follower import LinkSettings
from tests.support.api import place_order
from tests.support.fixtures import ServerFactory
from tests.support.proxy import TcpProxy
from tests.support.server import BackendServer
from tests.sync.backend_view import backend_events, backend_orders
from tests.sync.conftest import ClientFactory
from tests.sync.waiting import until


@pytest.fixture
async def proxy(backend_server: BackendServer) -> AsyncIterator[TcpProxy]:
    proxy = await TcpProxy(backend_server.port).start()
    yield proxy
    await proxy.close()


async def started(client: StoreClient) -> StoreClient:
    await client.start()
    await until(lambda: client.status.online, 10, "online")
    return client


async def settled(client: StoreClient, server: BackendServer) -> None:
    """Online, nothing waiting, and caught up with the backend's log."""
    await until(lambda: client.status.online and client.status.waiting == 0, 10, "the outbox delivered")
    last = backend_events(server)[-1].seq
    await until(lambda: client.replica.last_seq >= (last or 0), 10, "caught up")


@pytest.mark.parametrize("how", ["cut", "silent"])
async def test_offline_within_5_s_and_back_within_5_s(
    how: str, backend_server: BackendServer, proxy: TcpProxy, make_client: ClientFactory
) -> None:
    # The shipped defaults, not the fast test settings: they are what must meet 5 s.
    client = await started(
        make_client(proxy.url, backend_server.display_token, device_name="kiosk", link=LinkSettings())
    )
    if how == "cut":
        await proxy.cut()
    else:
        proxy.freeze()  # connections stay up, nothing passes: only silence tells
    went = await until(lambda: not client.status.online, 6, "offline")
    assert went < 5.0 and client.status.offline_since is not None
    if how == "cut":
        await proxy.heal()
    else:
        proxy.thaw()
    back = await until(lambda: client.status.online, 6, "online again")
    assert back < 5.0
    print(f"\n{how}: offline noticed after {went:.2f} s, back online after {back:.2f} s")
    statuses = [u.status for u in client.recorder.updates if u.status is not None]  # type: ignore[attr-defined]
    went_offline = max(i for i, s in enumerate(statuses) if not s.online and not s.connecting)
    assert statuses[went_offline].offline_since is not None and statuses[-1].online


async def test_offline_work_is_delivered_once_when_the_link_returns(
    backend_server: BackendServer, proxy: TcpProxy, make_client: ClientFactory
) -> None:
    ana = await started(make_client(proxy.url, backend_server.barista_token, "Ana"))
    await until(lambda: ana.replica.free_numbers(ana.today()) >= 20, 5, "a lease")
    first, _ = place_order(backend_server, "Ada")
    second, _ = place_order(backend_server, "Grace")
    await until(lambda: ana.projection.order(second["id"]) is not None, 5)

    await proxy.cut()
    await until(lambda: not ana.status.online, 5)
    claimed = await ana.claim(first["id"])
    completed = await ana.complete(second["id"])
    walk_up = await ana.walk_up("Lin", "espresso", {"shots": "double"})
    assert all(r.ok and r.queued_offline for r in (claimed, completed, walk_up))
    assert ana.status.waiting == 3
    assert walk_up.order is not None and walk_up.order.number is not None and walk_up.order.number <= 50

    await proxy.heal()
    await settled(ana, backend_server)
    orders = backend_orders(backend_server)
    assert orders[first["id"]]["state"] == "making" and orders[first["id"]]["barista"] == "Ana"
    assert orders[second["id"]]["state"] == "completed"
    assert orders[walk_up.order.id]["number"] == walk_up.order.number
    events = backend_events(backend_server)
    assert len({e.id for e in events}) == len(events)
    assert Counter(e.type for e in events if e.actor == "Ana")["OrderClaimed"] == 1
    mine = {o.id: o.to_api() for o in ana.projection.orders()}
    assert mine == orders


async def test_a_claim_lost_while_offline_is_told_by_name(
    backend_server: BackendServer, proxy: TcpProxy, make_client: ClientFactory
) -> None:
    ana = await started(make_client(proxy.url, backend_server.barista_token, "Ana"))
    bob = await started(make_client(backend_server.url, backend_server.barista_token, "Bob"))
    order, _ = place_order(backend_server)
    await until(lambda: ana.projection.order(order["id"]) is not None, 5)
    await proxy.cut()
    await until(lambda: not ana.status.online, 5)
    assert (await bob.claim(order["id"])).ok  # Bob first, online
    mine = await ana.claim(order["id"])  # Ana cannot know: her screen still says queued
    assert mine.ok and mine.queued_offline
    await proxy.heal()
    await settled(ana, backend_server)
    await until(lambda: ana.recorder.notices, 5, "a notice")  # type: ignore[attr-defined]
    assert ana.recorder.notices == [f"#{order['number']} is being made by Bob"]  # type: ignore[attr-defined]
    shown = ana.projection.order(order["id"])
    assert shown is not None and shown.barista == "Bob" and shown.status is OrderStatus.MAKING


async def test_completing_an_order_the_customer_had_cancelled_is_told(
    backend_server: BackendServer, proxy: TcpProxy, make_client: ClientFactory
) -> None:
    ana = await started(make_client(proxy.url, backend_server.barista_token, "Ana"))
    order, token = place_order(backend_server)
    await until(lambda: ana.projection.order(order["id"]) is not None, 5)
    await proxy.cut()
    await until(lambda: not ana.status.online, 5)
    with backend_server.client() as http:
        cancel = http.post(
            f"/api/v1/orders/{order['id']}/cancel", headers={"Authorization": f"Bearer {token}"}
        )
    assert cancel.status_code == 200
    assert (await ana.complete(order["id"])).ok
    await proxy.heal()
    await settled(ana, backend_server)
    await until(lambda: ana.recorder.notices, 5, "a notice")  # type: ignore[attr-defined]
    assert ana.recorder.notices == [  # type: ignore[attr-defined]
        f"#{order['number']} was cancelled by the customer before you completed it"
    ]
    assert backend_orders(backend_server)[order["id"]]["state"] == "cancelled"


async def test_commands_sent_as_the_backend_died_are_settled_once_after_it_restarts(
    backend_server: BackendServer, proxy: TcpProxy, make_client: ClientFactory
) -> None:
    ana = await started(make_client(proxy.url, backend_server.barista_token, "Ana"))
    order, _ = place_order(backend_server)
    await until(lambda: ana.projection.order(order["id"]) is not None, 5)
    backend_server.kill()  # the proxy still answers: requests now die mid-flight
    claimed = await ana.claim(order["id"])
    walk_up = await ana.walk_up("Lin", "americano", {})
    assert claimed.ok and claimed.queued_offline and walk_up.ok and walk_up.queued_offline
    assert {e.kind for e in ana.replica.outbox()} == {"http"}  # outcome unknown: resend as is
    assert walk_up.order is not None and walk_up.order.number is None  # the backend will number it
    too_soon = await ana.claim(walk_up.order.id)
    assert not too_soon.ok and too_soon.detail == STILL_SENDING
    await asyncio.to_thread(backend_server.start)
    await settled(ana, backend_server)
    orders = backend_orders(backend_server)
    walk_ups = [o for o in orders.values() if o["customer_name"] == "Lin"]
    assert len(walk_ups) == 1 and walk_ups[0]["number"] is not None
    assert orders[order["id"]]["state"] == "making"
    assert {o.id: o.to_api() for o in ana.projection.orders()} == orders
    assert ana.projection.order(walk_up.order.id) is None  # the provisional one is gone


async def test_a_replica_of_a_reset_server_is_put_aside_and_copied_afresh(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    first = server_factory()
    proxy = await TcpProxy(first.port).start()
    try:
        kiosk = await started(make_client(proxy.url, first.display_token, device_name="kiosk"))
        old, _ = place_order(first, "Ada")
        await until(lambda: kiosk.projection.order(old["id"]) is not None, 5)

        second = server_factory()  # the "same" server, its database replaced
        new, _ = place_order(second, "Grace")
        await proxy.cut()
        proxy.upstream_port = second.port
        await proxy.heal()

        await until(lambda: kiosk.projection.order(new["id"]) is not None, 10, "the new log")
        assert kiosk.projection.order(old["id"]) is None
        assert "was put aside as kiosk.sqlite3.broken-" in kiosk.recorder.notices[-1]  # type: ignore[attr-defined]
        assert list(kiosk.replica_path.parent.glob("kiosk.sqlite3.broken-*"))
        assert kiosk.replica.last_seq == backend_events(second)[-1].seq
    finally:
        await proxy.close()

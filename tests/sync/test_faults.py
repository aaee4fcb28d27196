"""The fault-injection suite: many link cuts and backend crashes during real traffic, then
every replica and the backend must agree, and nothing acknowledged may be lost or doubled.

Two barista terminals and a kiosk each reach a real backend through their own TCP proxy
(the stall's links); phones order directly. The links are cut and healed over and over
(conditions, not timers, drive each cycle), and the backend is SIGKILLed and restarted
during traffic.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence

import httpx
import pytest

from core.events import Event
from core.projection import Projection
from core.sync.client import StoreClient
from tests.support.fixtures import ServerFactory
from tests.support.proxy import TcpProxy
from tests.support.server import BackendServer
from tests.sync.backend_view import backend_events
from tests.sync.conftest import ClientFactory
from tests.sync.traffic import Tally, barista, phone
from tests.sync.waiting import until

CYCLES = 54
RESTARTS_AT = {15, 32, 47}


async def _measure(condition: object, what: str) -> float:
    return await until(condition, 10, what)  # type: ignore[arg-type]


async def _busy_offline(baristas: Sequence[StoreClient]) -> None:
    """Let the cut-off baristas do some work offline (bounded: they may have none to do)."""
    start = {b.actor: b.status.waiting for b in baristas}
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and not all(b.status.waiting > start[b.actor] for b in baristas):
        await asyncio.sleep(0.01)


async def _chaos(
    server: BackendServer, links: dict[str, tuple[TcpProxy, list[StoreClient]]], rng: random.Random
) -> tuple[list[float], list[float], int]:
    detect: list[float] = []
    recover: list[float] = []
    restarts = 0
    everyone = [c for _, clients in links.values() for c in clients]
    for cycle in range(CYCLES):
        if cycle in RESTARTS_AT:
            await asyncio.to_thread(server.restart)  # SIGKILL mid-traffic, same port and database
            restarts += 1
            await _measure(lambda: all(c.status.online for c in everyone), "online after the restart")
        names = rng.choice([["stall"], ["bob"], ["stall", "bob"]])
        cut_off = [c for name in names for c in links[name][1]]
        for name in names:
            await links[name][0].cut()
        detect.append(
            await _measure(lambda group=cut_off: not any(c.status.online for c in group), "offline")
        )
        await _busy_offline([c for c in cut_off if c.actor in ("Ana", "Bob")])
        for name in names:
            await links[name][0].heal()
        recover.append(
            await _measure(lambda group=cut_off: all(c.status.online for c in group), "back online")
        )
    return detect, recover, restarts


async def _settled(server: BackendServer, clients: Sequence[StoreClient]) -> int:
    """Wait until every client has delivered everything and holds the backend's whole log;
    returns that log's last seq."""
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=server.url, headers=server.headers("display")) as http:
        while True:
            if all(c.status.online and c.status.waiting == 0 for c in clients):
                tail = await _last_seq(http)
                if all(c.replica.last_seq == tail for c in clients):
                    return tail
            assert time.monotonic() < deadline, [c.status for c in clients]
            await asyncio.sleep(0.05)


async def _last_seq(http: httpx.AsyncClient) -> int:
    after = 0
    while True:
        page = (await http.get("/api/v1/stores/booth/events", params={"after": after, "limit": 500})).json()
        if not page["events"]:
            return after
        after = page["last_seq"]


@pytest.mark.timeout(300)
async def test_many_cuts_and_crashes_lose_and_double_nothing(
    server_factory: ServerFactory, make_client: ClientFactory
) -> None:
    server = server_factory(
        server={"order_starts_per_minute": 100_000},
        store={"max_queue": 10_000, "drinks_per_code": 100_000, "barista_timeout_s": 8},
    )
    stall, bob_link = await TcpProxy(server.port).start(), await TcpProxy(server.port).start()
    ana = make_client(stall.url, server.barista_token, "Ana")
    kiosk = make_client(stall.url, server.display_token, device_name="kiosk")
    bob = make_client(bob_link.url, server.barista_token, "Bob")
    clients = [ana, bob, kiosk]
    for client in clients:
        await client.start()
    await _measure(lambda: all(c.status.online for c in clients), "online")
    await _measure(
        lambda: ana.replica.free_numbers(ana.today()) and bob.replica.free_numbers(bob.today()), "leases"
    )

    tally, stop = Tally(), asyncio.Event()
    links = {"stall": (stall, [ana, kiosk]), "bob": (bob_link, [bob])}
    async with httpx.AsyncClient(base_url=server.url, timeout=3.0) as http:
        traffic = [asyncio.create_task(phone(http, server.display_token, tally, stop)) for _ in range(3)]
        traffic += [asyncio.create_task(barista(c, tally, stop, seed)) for seed, c in enumerate((ana, bob))]
        try:
            detect, recover, restarts = await _chaos(server, links, random.Random(7))
        finally:
            stop.set()
            outcomes = await asyncio.gather(*traffic, return_exceptions=True)
            assert [o for o in outcomes if o is not None] == [], "a simulated phone or barista failed"
            await stall.heal()
            await bob_link.heal()
    try:
        # The backend's timeouts (barista_timeout_s = 8) keep adding events for a few seconds
        # after the traffic stops: compare once the log has stopped growing under us.
        quiet_by = time.monotonic() + 30
        while True:
            tail = await _settled(server, clients)
            events = backend_events(server)
            if events[-1].seq == tail:
                break
            assert time.monotonic() < quiet_by, "the backend's log kept growing"
        _check_agreement(events, clients, tally)
    finally:
        await stall.close()
        await bob_link.close()

    assert len(detect) >= 50 and restarts == len(RESTARTS_AT)
    assert max(detect) < 5.0 and max(recover) < 5.0
    assert tally.offline_commands >= 50 and len(tally.walk_ups) >= 20 and len(tally.phone_orders) >= 20
    print(
        f"\n{len(detect)} cuts, {restarts} backend crashes; detect max {max(detect):.2f} s, "
        f"recover max {max(recover):.2f} s; {len(tally.phone_orders)} phone orders, "
        f"{len(tally.walk_ups)} walk-ups, {tally.offline_commands} commands decided offline, "
        f"{tally.refused} refused; notices: {sum(len(c.recorder.notices) for c in clients)}"  # type: ignore[attr-defined]
    )


def _check_agreement(events: list[Event], clients: Sequence[StoreClient], tally: Tally) -> None:
    assert len({e.id for e in events}) == len(events), "an event was stored twice"
    config = clients[0].projection.config
    backend = Projection("booth", config)
    backend.apply_all(events)
    orders = {o.id: o.to_api() for o in backend.orders()}

    for client in clients:
        assert client.replica.outbox_count() == 0, f"{client.actor} has an outbox entry left"
        assert {e.id for e in client.replica.events()} == {e.id for e in events}, client.actor
        assert {o.id: o.to_api() for o in client.projection.orders()} == orders, client.actor

    starts = Counter(e.causation_id for e in events if e.type == "OrderStarted")
    for order_id, start_key in tally.phone_orders.items():
        assert order_id in orders, "an acknowledged phone order is missing"
        assert orders[order_id]["number"] is not None
        assert starts[start_key] == 1, "an acknowledged phone order was made twice"
    for command_id in tally.walk_ups:
        assert starts[command_id] == 1, "an acknowledged walk-up is missing or doubled"

    by_day = Counter((o["created_at"][:10], o["number"]) for o in orders.values() if o["number"] is not None)
    assert [key for key, n in by_day.items() if n > 1] == [], "an order number was used twice in a day"

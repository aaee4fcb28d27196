"""Simulated traffic for the fault suite: phones ordering and baristas working.

Phones talk to the backend directly (they use the mobile network, not the stall's link)
and retry a failed request with the same Idempotency-Key, as a careful client does; an
order counts as acknowledged once the drink choice came back 200.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

import httpx

from core.ids import new_id
from core.orders import OrderStatus
from core.sync.client import StoreClient

NAMES = ("Ada", "Grace", "Lin", "Max", "Noor", "Ravi", "Sofia", "Tomás")
ITEMS = ("espresso", "flat-white", "latte", "americano")


@dataclass
class Tally:
    phone_orders: dict[str, str] = field(default_factory=dict)  # order id -> start key
    walk_ups: set[str] = field(default_factory=set)  # command ids (= causation ids)
    offline_commands: int = 0
    refused: int = 0


async def _retrying(
    http: httpx.AsyncClient, stop: asyncio.Event, method: str, url: str, **kwargs: object
) -> httpx.Response | None:
    """Send until answered (same key each time), or give up once traffic stops."""
    while True:
        try:
            response = await http.request(method, url, **kwargs)  # type: ignore[arg-type]
            if response.status_code < 500:
                return response
        except httpx.TransportError:
            pass
        if stop.is_set():
            return None
        await asyncio.sleep(0.1)


async def phone(http: httpx.AsyncClient, display_token: str, tally: Tally, stop: asyncio.Event) -> None:
    staff = {"Authorization": f"Bearer {display_token}"}
    rng = random.Random()
    while not stop.is_set():
        code = await _retrying(http, stop, "GET", "/api/v1/stores/booth/code", headers=staff)
        if code is None or code.status_code != 200:
            continue
        start_key = new_id()
        body = {"code": code.json()["code"], "customer_name": rng.choice(NAMES)}
        started = await _retrying(
            http,
            stop,
            "POST",
            "/api/v1/stores/booth/orders",
            json=body,
            headers={"Idempotency-Key": start_key},
        )
        if started is None or started.status_code != 201:
            continue
        order_id, token = started.json()["order"]["id"], started.json()["order_token"]
        drink = {"item": rng.choice(ITEMS), "options": {}}
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": new_id()}
        chosen = await _retrying(
            http, stop, "PUT", f"/api/v1/orders/{order_id}/drink", json=drink, headers=headers
        )
        if chosen is not None and chosen.status_code == 200:
            tally.phone_orders[order_id] = start_key
        await asyncio.sleep(rng.uniform(0.02, 0.1))  # pacing, not waiting on anything


async def barista(client: StoreClient, tally: Tally, stop: asyncio.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        await _one_action(client, tally, rng)
        await asyncio.sleep(rng.uniform(0.01, 0.05))  # pacing, not waiting on anything


async def _one_action(client: StoreClient, tally: Tally, rng: random.Random) -> None:
    projection = client.projection
    open_orders = list(projection.open_orders())
    queued = [o for o in open_orders if o.status is OrderStatus.QUEUED]
    mine = [o for o in open_orders if o.status is OrderStatus.MAKING and o.barista == client.actor]
    roll = rng.random()
    if roll < 0.25:
        result = await client.walk_up(rng.choice(NAMES), rng.choice(ITEMS), {})
        if result.ok and result.order is not None:
            tally.walk_ups.add(result.order.events[0].causation_id or "")
    elif roll < 0.55 and queued:
        result = await client.claim(rng.choice(queued).id)
    elif roll < 0.85 and mine:
        result = await client.complete(rng.choice(mine).id)
    elif roll < 0.92 and queued:
        result = await client.complete(rng.choice(queued).id)
    elif roll < 0.97 and open_orders:
        result = await client.cancel(rng.choice(open_orders).id, "out of milk")
    elif mine:
        result = await client.unclaim(rng.choice(mine).id)
    else:
        return
    tally.offline_commands += result.queued_offline
    tally.refused += not result.ok

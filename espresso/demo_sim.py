"""The demo's simulated people, through the HTTP API like real ones: customers who scan the
code and order from their phones at a gentle pace, and a barista who works through the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

NAMES = (
    "Ada", "Grace", "Alan", "Barbara", "Linus", "Margaret", "Ken", "Radia", "Edsger", "Frances",
    "Dennis", "Hedy", "Katherine", "Tim", "Zoë", "[b]Bob[/b]", "José", "Anita",
)  # fmt: skip
BARISTA = "Demo barista"


@dataclass
class Pace:
    """Seconds between customers and to make a drink (each drawn from its range)."""

    customer_every: tuple[float, float] = (5.0, 12.0)
    make: tuple[float, float] = (4.0, 9.0)
    idle_poll: float = 1.0


@dataclass
class Tally:
    placed: int = 0
    completed: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)


class Simulation:
    def __init__(
        self, server: str, store: str, display_token: str, barista_token: str, pace: Pace | None = None
    ) -> None:
        self.server = server.rstrip("/")
        self.store = store
        self.display = {"Authorization": f"Bearer {display_token}"}
        self.barista = {"Authorization": f"Bearer {barista_token}", "X-Barista": BARISTA}
        self.pace = pace or Pace()
        self.random = random.Random()
        self.tally = Tally()

    async def run(self, stop: asyncio.Event) -> None:
        """Customers and the barista, until `stop` is set."""
        async with httpx.AsyncClient(base_url=self.server, timeout=10) as client:
            await asyncio.gather(self._customers(client, stop), self._barista(client, stop))

    async def _pause(self, stop: asyncio.Event, seconds: float) -> bool:
        """Wait `seconds`; True when it is time to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
        return stop.is_set()

    async def _customers(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        delay = 1.0  # the first customer comes at once, so the demo has life from the start
        while not await self._pause(stop, delay):
            await self._guarded(self.customer_orders(client))
            delay = self.random.uniform(*self.pace.customer_every)

    async def _barista(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        while not stop.is_set():
            order = await self._guarded(self.claim_next(client))
            if order is None:
                if await self._pause(stop, self.pace.idle_poll):
                    return
                continue
            if await self._pause(stop, self.random.uniform(*self.pace.make)):
                return
            await self._guarded(self.complete(client, order))

    async def _guarded(self, step: Any) -> Any:
        """Run one step; the backend being busy or gone is part of the demo, not a crash."""
        try:
            return await step
        except httpx.HTTPError as error:
            self.tally.errors.append(f"{type(error).__name__}: {error}")
            return None

    # -- one customer ---------------------------------------------------------------------

    async def customer_orders(self, client: httpx.AsyncClient) -> bool:
        store = await client.get(f"/api/v1/stores/{self.store}")
        code = await client.get(f"/api/v1/stores/{self.store}/code", headers=self.display)
        if store.status_code != 200 or code.status_code != 200 or code.json()["remaining"] < 1:
            self.tally.refused += 1
            return False
        drink = self.choose_drink(store.json()["menu"])
        if drink is None:
            self.tally.refused += 1
            return False
        body = {
            "code": code.json()["code"],
            "customer_name": self.random.choice(NAMES),
            "customer_id": str(uuid.uuid4()),
        }
        started = await client.post(f"/api/v1/stores/{self.store}/orders", json=body)
        if started.status_code != 201:
            self.tally.refused += 1  # store full, code used up, …: this customer walks on
            return False
        order, token = started.json()["order"], started.json()["order_token"]
        auth = {"Authorization": f"Bearer {token}"}
        chosen = await client.put(f"/api/v1/orders/{order['id']}/drink", json=drink, headers=auth)
        if chosen.status_code != 200:
            self.tally.refused += 1
            return False
        self.tally.placed += 1
        return True

    def choose_drink(self, menu: list[dict[str, Any]]) -> dict[str, Any] | None:
        items = [item for item in menu if item.get("available", True)]
        if not items:
            return None
        item = self.random.choice(items)
        options = {}
        for option in item.get("options", []):
            unavailable = {c.casefold() for c in option.get("unavailable", [])}
            choices = [c for c in option["choices"] if c.casefold() not in unavailable]
            if choices:
                options[option["id"]] = self.random.choice(choices)
        return {"item": item["id"], "options": options}

    # -- the barista ----------------------------------------------------------------------

    async def claim_next(self, client: httpx.AsyncClient) -> dict[str, Any] | None:
        listed = await client.get(
            f"/api/v1/stores/{self.store}/orders", params={"state": "queued"}, headers=self.barista
        )
        if listed.status_code != 200:
            return None
        for order in listed.json()["orders"]:
            claimed = await client.post(f"/api/v1/orders/{order['id']}/claim", headers=self.barista)
            if claimed.status_code == 200:
                result: dict[str, Any] = claimed.json()
                return result
        return None  # someone else (a real barista) took them

    async def complete(self, client: httpx.AsyncClient, order: dict[str, Any]) -> None:
        done = await client.post(f"/api/v1/orders/{order['id']}/complete", headers=self.barista)
        if done.status_code == 200:
            self.tally.completed += 1


class SimulationThread(threading.Thread):
    """The simulation on its own event loop, beside the kiosk's."""

    def __init__(self, simulation: Simulation) -> None:
        super().__init__(name="demo-simulation", daemon=True)
        self.simulation = simulation
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop, self._stop_event = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        await self.simulation.run(self._stop_event)

    def stop(self, timeout: float = 15.0) -> None:
        self._ready.wait(timeout)
        if self._loop is not None and self._stop_event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                self._loop.call_soon_threadsafe(self._stop_event.set)
        self.join(timeout)

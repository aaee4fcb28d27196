"""`espresso demo`: its backend starts, orders flow, and everything stops cleanly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.config import REPO_CONFIG, load_settings
from espresso.demo_backend import DemoBackend
from espresso.demo_sim import Pace, Simulation, SimulationThread

FAST = Pace(customer_every=(0.05, 0.2), make=(0.05, 0.2), idle_poll=0.05)


@pytest.fixture
def demo_backend(tmp_path: Path) -> Iterator[DemoBackend]:
    backend = DemoBackend(load_settings(REPO_CONFIG, environ={}), tmp_path)
    try:
        backend.start()
        yield backend
    finally:
        backend.stop()


def stats(backend: DemoBackend) -> dict[str, int]:
    headers = {"Authorization": f"Bearer {backend.settings.auth.display_token}"}
    response = httpx.get(f"{backend.url}/api/v1/stores/{backend.store}/stats", headers=headers, timeout=5)
    response.raise_for_status()
    result: dict[str, int] = response.json()
    return result


def simulation(backend: DemoBackend, pace: Pace = FAST) -> Simulation:
    auth = backend.settings.auth
    return Simulation(backend.url, backend.store, auth.display_token, auth.barista_token, pace)


def test_the_demo_store_is_open_and_has_a_phone_page(demo_backend: DemoBackend) -> None:
    url = demo_backend.phone_url()
    assert url.startswith(f"{demo_backend.url}/order/{demo_backend.store}?code=")
    page = httpx.get(url, timeout=5)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


async def test_simulated_customers_and_barista_complete_orders(demo_backend: DemoBackend) -> None:
    sim = simulation(demo_backend)
    stop = asyncio.Event()
    running = asyncio.create_task(sim.run(stop))
    deadline = time.monotonic() + 30
    while sim.tally.completed < 5:
        assert time.monotonic() < deadline, f"orders did not flow: {sim.tally}"
        assert not running.done(), "the simulation stopped by itself"
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(running, 10)

    served = await asyncio.to_thread(stats, demo_backend)
    assert served["served_today"] == sim.tally.completed >= 5
    assert sim.tally.placed >= sim.tally.completed
    assert sim.tally.errors == []


def test_the_simulation_thread_stops_promptly_and_the_backend_goes(demo_backend: DemoBackend) -> None:
    thread = SimulationThread(simulation(demo_backend, Pace()))  # the gentle pace: long waits
    thread.start()
    deadline = time.monotonic() + 20
    while stats(demo_backend)["queued"] + stats(demo_backend)["making"] == 0:
        assert time.monotonic() < deadline, "no customer came"
        time.sleep(0.05)
    started = time.monotonic()
    thread.stop()
    assert not thread.is_alive() and time.monotonic() - started < 5

    process = demo_backend.process
    assert process is not None
    demo_backend.stop()
    assert process.returncode is not None
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{demo_backend.url}/healthz", timeout=2)


def test_the_demo_store_rotates_codes_every_minute(demo_backend: DemoBackend) -> None:
    store = demo_backend.settings.stores[demo_backend.store]
    assert store.open and store.code_rotation_s == 60 and store.drinks_per_code >= 15
    headers = {"Authorization": f"Bearer {demo_backend.settings.auth.display_token}"}
    code = httpx.get(
        f"{demo_backend.url}/api/v1/stores/{demo_backend.store}/code", headers=headers, timeout=5
    )
    assert code.json()["remaining"] >= 15

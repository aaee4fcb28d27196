"""The timeout sweeper with an injected clock: deadlines from the events, nothing early."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from backend import actions
from backend.runtime import Backend
from core import commands as c
from core.clock import FakeClock
from core.codes import current_code
from core.config import settings_from_mapping
from core.eventstore.base import open_event_store
from core.orders import OrderStatus

SETTINGS = {
    "stores": {"booth": {"open": True, "customer_timeout_s": 300, "barista_timeout_s": 900, "menu": []}},
}


async def _until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_an_order_times_out_when_the_clock_passes_its_deadline_and_not_before(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_event_store(f"sqlite:///{tmp_path / 'events.db'}")
    backend = Backend(settings_from_mapping(SETTINGS, environ={}), store, clock, keepalive_s=15)
    await backend.start()
    try:
        rt = backend.stores["booth"]
        code = current_code(backend.code_secret, "booth", rt.config, clock.now()).code
        tokens = backend.authenticator.order_tokens
        reply = await backend.execute(
            "booth", actions.start_order(c.StartOrder("Ada"), code, backend.code_secret, tokens), "t1"
        )
        order_id = json.loads(reply.body)["order"]["id"]

        clock.advance(299)
        backend.sweeper.poke()
        await asyncio.sleep(0.1)
        order = rt.projection.order(order_id)
        assert order is not None and order.status is OrderStatus.STARTED  # one second to go

        clock.advance(2)
        backend.sweeper.poke()
        await _until(
            lambda: (o := rt.projection.order(order_id)) is not None and o.status is OrderStatus.TIMED_OUT
        )
        order = rt.projection.order(order_id)
        assert order is not None and order.reason == "customer_timeout"
        assert order.ended_at == clock.now() and backend.sweeper.fired == 1
    finally:
        await backend.stop()
        store.close()

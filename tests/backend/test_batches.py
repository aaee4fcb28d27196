"""Steps that share a batch (one transaction, one commit) see each other's work."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from backend import actions
from backend.runtime import projection_of
from backend.store_jobs import seed
from backend.writer import Idempotency, Reply, Writer
from core import commands as c
from core.clock import SystemClock
from core.config import settings_from_mapping
from core.eventstore.sqlite import SqliteEventStore

MENU = [{"id": "americano", "name": "Americano", "options": []}]
SETTINGS = {"stores": {"booth": {"open": True, "max_queue": 100, "menu": MENU}}}


async def test_a_retry_in_the_same_batch_as_its_first_try_gets_the_first_answer(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    config = settings_from_mapping(SETTINGS, environ={}).stores["booth"]
    writer = Writer(
        store,
        {"booth": projection_of("booth", config)},
        SystemClock(),
        lambda store_id, events, states: None,
        asyncio.get_running_loop(),
        lambda store_id: projection_of(store_id, config),
    )
    key = Idempotency("barista:/walkups", "k-1", "same-body")
    walk_up = actions.walk_up(c.WalkUp("Ada", "americano"), "Ann")
    # Queued before the writer runs: the three jobs are one batch.
    opened = writer.submit("booth", seed(config), "seed")
    first = writer.submit("booth", walk_up, "cmd-1", key)
    retry = writer.submit("booth", walk_up, "cmd-2", key)
    writer.start()
    try:
        answers = await asyncio.gather(opened, first, retry)
        assert writer.batches == 1
        assert isinstance(answers[1], Reply) and answers[1].status == 201
        assert answers[2] == answers[1]
        order = json.loads(answers[1].body)
        started = [e for e in store.read("booth") if e.type == "OrderStarted"]
        assert [e.order_id for e in started] == [order["id"]]  # one walk-up, not two
    finally:
        await asyncio.to_thread(writer.stop)
        store.close()

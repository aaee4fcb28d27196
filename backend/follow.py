"""Hearing the appends of other processes on the same database (PostgreSQL: LISTEN/NOTIFY).

Each notice goes to `heard`: the read side reads what it has not seen yet and pushes it to
this process's streams at once (the writer, which may be busy with a batch of its own,
catches up inside its next transaction anyway). A slow safety net asks the writer to catch
up every store now and then too, for a notice lost while the listening connection was down.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable, Iterable

from backend.writer import Writer
from core.eventstore.base import EventStore

log = logging.getLogger("espresso.follow")
SAFETY_NET_S = 30.0
READY_WAIT_S = 10.0


async def follow(
    event_store: EventStore,
    store_ids: Iterable[str],
    last_seq: Callable[[str], int],
    writer: Writer,
    heard: Callable[[str, int], None],
    safety_net_s: float = SAFETY_NET_S,
) -> None:
    stores = list(store_ids)

    def on_append(store_id: str, seq: int) -> None:
        if store_id in stores and seq > last_seq(store_id):
            heard(store_id, seq)

    ready = asyncio.Event()
    listener = asyncio.create_task(_listen(event_store, on_append, ready), name="listen")
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), READY_WAIT_S)
        while True:  # first: whatever was appended before we were listening
            for store_id in stores:
                writer.catch_up(store_id)
            await asyncio.sleep(safety_net_s)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


async def _listen(
    event_store: EventStore, on_append: Callable[[str, int], None], ready: asyncio.Event
) -> None:
    listen = getattr(event_store, "listen", None)
    if listen is None:
        ready.set()
        return
    takes_ready = "ready" in inspect.signature(listen).parameters
    while True:
        try:
            if takes_ready:
                await listen(on_append, ready=ready)
            else:
                ready.set()
                await listen(on_append)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("following the event log failed; retrying")
            await asyncio.sleep(1.0)

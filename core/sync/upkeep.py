"""While online, in the background: check the log is still the same one, refresh the store
object, deliver the outbox, keep a number lease. Woken when the link comes up or a command
leaves work behind, and once a minute anyway (a new business day needs a new lease)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.sync.backoff import Backoff
from core.sync.delivery import LeaseKeeper, deliver_outbox, refresh_store_info, same_log
from core.sync.engine import SyncEngine
from core.sync.feed import Notice
from core.sync.follower import LinkSettings
from core.sync.http_api import OutcomeUnknown, Refused, Unreachable
from core.sync.replica_file import move_aside

log = logging.getLogger(__name__)

UPKEEP_EVERY_S = 60.0


class Upkeep:
    def __init__(
        self,
        engine: SyncEngine,
        settings: LinkSettings,
        leases: LeaseKeeper,
        *,
        restart_stream: Callable[[], None],
    ) -> None:
        self._engine = engine
        self._leases = leases
        self._restart_stream = restart_stream
        self._backoff = Backoff(settings.backoff_first_s, settings.backoff_cap_s)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        engine = self._engine
        while True:
            await self._sleep()
            if not engine.link.online:
                continue
            try:
                await self._once()
                done = engine.replica.outbox_count() == 0
            except (Unreachable, OutcomeUnknown, Refused) as error:
                log.info("sync upkeep failed: %s", error)
                done = False
            if done:
                self._backoff.reset()
            elif engine.link.online:
                await asyncio.sleep(self._backoff.next_delay())
                self._wake.set()

    async def _sleep(self) -> None:
        # Not `asyncio.wait_for`: on Python 3.11 it can swallow a cancellation.
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({waiter}, timeout=UPKEEP_EVERY_S)
        finally:
            waiter.cancel()
        self._wake.clear()

    async def _once(self) -> None:
        engine = self._engine
        if not await same_log(engine):
            await self._start_afresh()
        await refresh_store_info(engine)
        async with engine.send_lock:
            await deliver_outbox(engine)
        await self._leases.top_up()

    async def _start_afresh(self) -> None:
        """The backend's log is not the one this replica copied (its database was replaced):
        put the replica aside and copy the backend's from the start (listeners get a new
        `initial` update)."""
        engine = self._engine
        async with engine.send_lock:
            engine.close_local()
            moved = move_aside(engine.replica_path)
            text = (
                "The server's order log is not the one this device knew (was the server reset?). "
                f"This device starts again from the server; its old copy was put aside as {moved.name}."
            )
            engine.open_local(Notice(text=text, time=engine.clock.now(), level="error"))
        self._restart_stream()

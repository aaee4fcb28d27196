"""The sync client's inner state: replica, projection, link, listeners, and the one way
events get in (`ingest`: durable first, then shown, then judged).

`StoreClient` (client.py) builds on this; `commanding.py` and `delivery.py` act on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from core.business_day import business_day
from core.clock import Clock
from core.config import StoreConfig
from core.events import Event
from core.projection import OrderChange, Projection
from core.sync.feed import FeedUpdate, Listener, Notice, StoreInfo, SyncStatus
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from core.sync.link import Link
from core.sync.local_state import LocalState
from core.sync.replica import Intent, Replica, open_replica
from core.sync.settle import Watcher
from core.sync.store_settings import config_of, store_info_of

log = logging.getLogger(__name__)

PAGE = 500


class SyncEngine:
    def __init__(
        self,
        api: BackendApi,
        *,
        store: str,
        actor: str,
        replica_path: Path,
        clock: Clock,
        base_config: StoreConfig,
    ) -> None:
        self.api = api
        self.store = store
        self.actor = actor
        self.replica_path = replica_path
        self.clock = clock
        self.base_config = base_config
        self.projection = Projection(store, base_config)
        self.store_info: StoreInfo = store_info_of(store, None, base_config)
        self.link = Link(clock)
        self.status = self.link.status(0, 0)
        self._replica: Replica | None = None
        self._state: LocalState | None = None
        self._listeners: list[Listener] = []
        self._watcher: Watcher | None = None
        self.send_lock = asyncio.Lock()

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def replica(self) -> Replica:
        if self._replica is None:
            raise RuntimeError("the sync client is not started")
        return self._replica

    @property
    def state(self) -> LocalState:
        if self._state is None:
            raise RuntimeError("the sync client is not started")
        return self._state

    def open_local(self, *notices: Notice) -> None:
        """Open the replica and show what it holds (no network)."""
        replica = open_replica(self.replica_path, server=self.api.server, store=self.store)
        self._replica = replica
        raw = replica.store_info()
        self.store_info = store_info_of(self.store, raw, self.base_config)
        self._state = LocalState(self.store, replica, self.projection)
        self._state.rebuild(config_of(raw, self.base_config))
        self._watcher = Watcher(replica, self.projection, self.clock)
        self.notify(store_changed=True, initial=True, notices=notices)

    def close_local(self) -> None:
        if self._replica is not None:
            self._replica.close()
            self._replica = None

    @property
    def device_id(self) -> str:
        return self.replica.device_id

    def today(self) -> date:
        return business_day(self.clock.now(), self.projection.config.zone)

    # -- listeners ----------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(
        self,
        changes: Sequence[OrderChange] = (),
        *,
        store_changed: bool = False,
        notices: Sequence[Notice] = (),
        initial: bool = False,
    ) -> None:
        status = self.current_status()
        status_changed = status != self.status
        self.status = status
        if not (changes or store_changed or notices or initial or status_changed):
            return
        update = FeedUpdate(
            changes=tuple(changes),
            store_changed=store_changed,
            status=status if status_changed or initial else None,
            notices=tuple(notices),
            initial=initial,
        )
        for listener in list(self._listeners):
            try:
                listener(update)
            except Exception:
                log.exception("a sync listener failed")

    def current_status(self) -> SyncStatus:
        if self._replica is None:
            return self.link.status(0, 0)
        return self.link.status(self._replica.outbox_count(), self._replica.last_seq)

    def link_up(self) -> None:
        if self.link.up():
            self.notify()

    def link_down(self) -> None:
        if self.link.down():
            self.notify()

    # -- events in ----------------------------------------------------------------------

    def ingest(self, events: Sequence[Event]) -> None:
        """Events from the backend: stored durably, then applied, judged and shown."""
        if not events:
            return
        self.replica.add_events(events)
        changes, store_changed = self.state.apply(events)
        self.notify(changes, store_changed=store_changed, notices=self.judge(changes))

    def show_local(self, events: Iterable[Event], *, provisional: bool = False) -> None:
        """Events already made durable here (decided offline, or provisional)."""
        apply = self.state.show_provisional if provisional else self.state.apply
        changes, store_changed = apply(events)
        self.notify(changes, store_changed=store_changed, notices=self.judge(changes))

    def rebuild(self, config: StoreConfig | None = None, notices: Sequence[Notice] = ()) -> None:
        changes, store_changed = self.state.rebuild(config)
        self.notify(changes, store_changed=store_changed, notices=[*notices, *self.judge(changes)])

    async def catch_up(self) -> None:
        """Read every event after the cursor (raises the API's failures). The next page is
        asked for while this one is stored: the backend reads while the replica writes."""
        ahead = asyncio.ensure_future(self.api.events_page(self.replica.last_seq, PAGE))
        try:
            while True:
                events, _ = await ahead
                if len(events) == PAGE:
                    after = events[-1].seq or self.replica.last_seq
                    ahead = asyncio.ensure_future(self.api.events_page(after, PAGE))
                self.ingest(events)
                if len(events) < PAGE:
                    return
        finally:
            if not ahead.done():
                ahead.cancel()
            elif not ahead.cancelled():
                ahead.exception()  # retrieved: the error (if any) was raised above or is moot

    async def try_catch_up(self) -> bool:
        try:
            await self.catch_up()
        except (Unreachable, OutcomeUnknown, Refused):
            return False
        return True

    # -- intents --------------------------------------------------------------------------

    @property
    def watcher(self) -> Watcher:
        if self._watcher is None:
            raise RuntimeError("the sync client is not started")
        return self._watcher

    def remember(self, intent: Intent) -> None:
        self.watcher.remember(intent)

    def watch(self, intent: Intent) -> None:
        self.watcher.remember(intent)
        self.notify(notices=self.watcher.judge_order(intent.order_id))

    def forget_claims(self, order_id: str) -> None:
        self.watcher.forget_claims(order_id)

    def judge(self, changes: Iterable[OrderChange]) -> list[Notice]:
        return self.watcher.judge(changes)

"""The running backend: the stores it serves, their read projections, the writer, the
streams, the timeouts. Everything here lives on the event loop except the writer thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from fastapi import Request
from pydantic import ValidationError

from backend.auth import Authenticator, OrderTokens
from backend.follow import follow
from backend.metrics import Metrics
from backend.problems import ApiError, Fault, describe_errors
from backend.ratelimit import RateLimiter
from backend.sse import Broadcaster
from backend.store_jobs import seed
from backend.timeouts import TimeoutSweeper
from backend.writer import Action, Idempotency, Reply, Writer
from core.clock import Clock
from core.config import Settings, StoreConfig
from core.errors import ErrorCode
from core.events import Event
from core.eventstore.base import EventStore, StoreVersionError
from core.orders import OrderState, Timeouts, order_from_events
from core.projection import Projection

log = logging.getLogger("espresso.backend")

IDEMPOTENCY_KEEP_S = 24 * 3600
PURGE_EVERY_S = 3600


def projection_of(store_id: str, config: StoreConfig) -> Projection:
    # The log is the truth: `open` in config only seeds an empty log (by a recorded event).
    return Projection(store_id, config.model_copy(update={"open": False}))


@dataclass(slots=True)
class StoreRuntime:
    id: str
    config: StoreConfig
    projection: Projection  # the read side: touched only on the event loop
    broadcaster: Broadcaster = field(default_factory=Broadcaster)
    heard: int = 0  # the last seq other processes told of
    reader: asyncio.Task[None] | None = None  # reading what they appended


class Backend:
    def __init__(self, settings: Settings, event_store: EventStore, clock: Clock, keepalive_s: float) -> None:
        self.settings = settings
        self.event_store = event_store
        self.clock = clock
        self.keepalive_s = keepalive_s
        self.stores = {
            sid: StoreRuntime(sid, cfg, projection_of(sid, cfg)) for sid, cfg in settings.stores.items()
        }
        self.rate_limiter = RateLimiter(settings.server.order_starts_per_minute, 60.0)
        self.sweeper = TimeoutSweeper(self)
        self.metrics = Metrics()
        self.shutting_down = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        # Set in start(): they need the database.
        self.authenticator: Authenticator
        self.code_secret: bytes
        self.writer: Writer
        self._shadows: dict[str, Projection] | None = None  # the writer's copies, once loaded

    # -- life cycle -----------------------------------------------------------------

    def load(self) -> None:
        """Read the secrets and every store's log (blocking; `start` does it if not done yet).
        `StoreVersionError` if the log holds events this version does not know."""
        if self._shadows is not None:
            return
        store = self.event_store
        tokens_secret, self.code_secret = store.secret("order-token"), store.secret("code")
        self.authenticator = Authenticator(self.settings.auth, OrderTokens(tokens_secret))
        self._shadows = self._load()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        store = self.event_store
        await asyncio.to_thread(self.load)
        shadows = self._shadows
        assert shadows is not None
        self.writer = Writer(
            store,
            shadows,
            self.clock,
            self._on_events,
            loop,
            lambda sid: projection_of(sid, self.stores[sid].config),
        )
        self.writer.start()
        for sid, rt in self.stores.items():
            await self.execute(sid, seed(rt.config), f"seed-{sid}")
        self.sweeper.start()
        follower = follow(store, self.stores, self._last_seq, self.writer, self._heard)
        self._tasks.append(asyncio.create_task(follower, name="follow-log"))
        self._tasks.append(asyncio.create_task(self._purge(), name="purge-idempotency"))

    def _load(self) -> dict[str, Projection]:
        """Each store's log folded once: the read side's projection, and a copy for the writer."""
        shadows = {}
        for sid, rt in self.stores.items():
            try:
                rt.projection.load(self.event_store.iter_all(sid))
            except ValidationError as error:  # e.g. a kind of event a newer version wrote
                raise StoreVersionError(
                    f"the event log of store {sid!r} holds an event this version cannot read "
                    f"({_what_is_wrong(error)}); it was probably written by a newer version: "
                    "run that version (the log is left as it is)"
                ) from error
            shadows[sid] = rt.projection.copy()
        return shadows

    def begin_shutdown(self) -> None:
        """Ask streams to end so the server can stop (called when a signal arrives)."""
        self.shutting_down.set()
        for rt in self.stores.values():
            rt.broadcaster.close_all()

    async def stop(self) -> None:
        self.begin_shutdown()
        self.sweeper.stop()
        readers = [rt.reader for rt in self.stores.values() if rt.reader is not None]
        for task in [*self._tasks, *readers]:
            task.cancel()
        for task in [*self._tasks, *readers]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await asyncio.to_thread(self.writer.stop)

    # -- the read side --------------------------------------------------------------

    def _on_events(
        self, store_id: str, events: list[Event], states: Mapping[str, OrderState] | None = None
    ) -> None:
        """New committed events (ours or another process's), in seq order; from our writer,
        with its states of their orders, which hold at least what the read side holds of
        them (the writer commits after reading the log, and the read side reads it in order)."""
        rt = self.stores[store_id]
        fresh = [e for e in events if (e.seq or 0) > rt.projection.last_seq]
        if not fresh:
            return
        if states is None:
            changed = [change.after for change in rt.projection.apply_all(fresh)]
        else:
            changed = rt.projection.adopt(fresh, states)
        rt.broadcaster.publish(fresh)
        self.sweeper.watch(store_id, changed)

    def _last_seq(self, store_id: str) -> int:
        return self.stores[store_id].projection.last_seq

    def _heard(self, store_id: str, seq: int) -> None:
        """Another process appended up to `seq`: read it now (one reader per store at a time)."""
        rt = self.stores[store_id]
        rt.heard = max(rt.heard, seq)
        if rt.reader is None or rt.reader.done():
            rt.reader = asyncio.create_task(self._read_heard(rt), name=f"read-{store_id}")

    async def _read_heard(self, rt: StoreRuntime) -> None:
        while rt.heard > rt.projection.last_seq:
            try:
                events = await asyncio.to_thread(self.event_store.read, rt.id, rt.projection.last_seq, 1000)
            except Exception:
                log.exception("reading the appends of other processes to %s failed", rt.id)
                self.writer.catch_up(rt.id, rt.heard)  # the writer's way round, as before
                return
            if not events:
                return
            self._on_events(rt.id, events)

    async def _purge(self) -> None:
        from datetime import timedelta

        while True:
            cutoff = self.clock.now() - timedelta(seconds=IDEMPOTENCY_KEEP_S)
            try:
                await asyncio.to_thread(self.event_store.purge_idempotency, cutoff)
            except Exception:
                log.exception("purging old idempotency records failed")
            await asyncio.sleep(PURGE_EVERY_S)

    # -- helpers for the routes -----------------------------------------------------

    def store(self, store_id: str) -> StoreRuntime:
        rt = self.stores.get(store_id)
        if rt is None:
            raise ApiError(ErrorCode.NOT_FOUND, f"no store {store_id!r}")
        return rt

    async def find_order(self, order_id: str) -> tuple[StoreRuntime, OrderState] | None:
        """An order from the read projections; from the log when another process has just
        made it and this one has not heard yet."""
        for rt in self.stores.values():
            order = rt.projection.order(order_id)
            if order is not None:
                return rt, order
        events = await asyncio.to_thread(self.event_store.read_order, order_id)
        if not events or events[0].store not in self.stores:
            return None
        rt = self.stores[events[0].store]
        order = order_from_events(order_id, rt.id, tuple(events), Timeouts.of(rt.config))
        return (rt, order) if order.is_visible else None

    async def execute(
        self, store_id: str, action: Action, causation_id: str, idempotency: Idempotency | None = None
    ) -> Reply:
        result = await self.writer.submit(store_id, action, causation_id, idempotency)
        if isinstance(result, ApiError):
            raise result
        if isinstance(result, Fault):
            raise result
        return result


def backend_of(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


def _what_is_wrong(error: ValidationError) -> str:
    first = error.errors()[0]
    if first.get("loc", ())[-1:] == ("type",):
        return f"of type {first.get('input')!r}"
    return describe_errors([first])

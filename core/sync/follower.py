"""Following the store's event stream, noticing quickly when the link goes or comes back.

The stream carries events and keep-alive comments. A watchdog runs beside each
connection: when nothing has been heard for `silence_s` it probes `/healthz` (cheap); no
answer means the link is down, so the connection is dropped and the status turns offline.
A stream silent for `stale_s` although the backend answers probes is opened again.
Reconnects back off exponentially with jitter, capped low so recovery takes seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from core.events import Event
from core.sync.backoff import Backoff
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from core.sync.sse import SseParser

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LinkSettings:
    silence_s: float = 2.0  # nothing heard for this long: probe the backend
    probe_timeout_s: float = 1.2
    stale_s: float = 20.0  # the backend's keep-alives come at least every 15 s
    backoff_first_s: float = 0.1
    backoff_cap_s: float = 2.0
    keepalive_s: float = 1.0  # asked of the stream (`keepalive` query parameter)
    stream_params: dict[str, Any] = field(default_factory=dict)


class LinkLost(Exception):
    """The watchdog found the backend unreachable."""


class StreamFollower:
    def __init__(
        self,
        api: BackendApi,
        settings: LinkSettings,
        *,
        cursor: Callable[[], int],
        on_events: Callable[[list[Event]], None],
        on_up: Callable[[], Awaitable[None]],
        on_down: Callable[[], None],
        on_refused: Callable[[Refused], None],
    ) -> None:
        self._api = api
        self._settings = settings
        self._cursor = cursor
        self._on_events = on_events
        self._on_up = on_up
        self._on_down = on_down
        self._on_refused = on_refused
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._connection: asyncio.Task[None] | None = None
        self._backoff = Backoff(settings.backoff_first_s, settings.backoff_cap_s)
        self._heard = 0.0

    async def run(self) -> None:
        applier = asyncio.create_task(self._apply_batches(), name="sync-apply")
        try:
            while True:
                self._connection = asyncio.create_task(self._connect_once(), name="sync-stream")
                await asyncio.wait({self._connection})
                delay = self._settle(self._connection)
                if delay:
                    await asyncio.sleep(delay)
        finally:
            tasks = [t for t in (self._connection, applier) if t is not None]
            for task in tasks:
                task.cancel()
            # Wait for them and take their outcome, so none is left unretrieved.
            await asyncio.gather(*tasks, return_exceptions=True)

    def kick(self) -> None:
        """Reconnect now (a request just failed: find out whether the link is still there)."""
        if self._connection is not None and not self._connection.done():
            self._connection.cancel()

    def _settle(self, task: asyncio.Task[None]) -> float:
        """After a connection ended: how long to wait before the next one."""
        if task.cancelled():
            return 0.0
        error = task.exception()
        if isinstance(error, Refused):
            self._on_refused(error)
        elif error is not None and not isinstance(error, (Unreachable, OutcomeUnknown, LinkLost)):
            log.warning("event stream failed: %r", error)
        return self._backoff.next_delay()

    async def _connect_once(self) -> None:
        loop = asyncio.get_running_loop()
        self._heard = loop.time()
        reader = asyncio.create_task(self._read())
        watchdog = asyncio.create_task(self._watch())
        try:
            done, _ = await asyncio.wait({reader, watchdog}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, watchdog):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        errors = [e for task in done if (e := task.exception()) is not None]
        if errors:
            raise errors[0]  # what ended the connection

    async def _read(self) -> None:
        settings = self._settings
        params = {"keepalive": settings.keepalive_s, **settings.stream_params}
        stream = self._api.stream_lines(self._cursor(), read_timeout_s=settings.stale_s, params=params)
        try:
            async with stream as lines:
                self._backoff.reset()
                await self._on_up()
                await self._consume(lines)
        except (Unreachable, Refused):
            self._on_down()
            raise
        except (OutcomeUnknown, ValidationError):
            # Broken stream: is the backend itself still there?
            if not await self._api.healthy(settings.probe_timeout_s):
                self._on_down()
            raise

    async def _consume(self, lines: AsyncIterator[str]) -> None:
        loop = asyncio.get_running_loop()
        parser = SseParser()
        async for line in lines:
            self._heard = loop.time()
            message = parser.feed(line)
            if message is None or not message.data:
                continue
            event = self._api.unknown.parse(message.data)
            if event is None:
                continue  # a kind this version does not know (told once, by the client)
            if event.seq is None and message.id and message.id.isdigit():
                event = event.with_seq(int(message.id))
            self._queue.put_nowait(event)

    async def _watch(self) -> None:
        """Probe the backend whenever the stream has been silent for `silence_s`."""
        settings = self._settings
        loop = asyncio.get_running_loop()
        tick = min(0.25, settings.silence_s / 4)
        probed = loop.time()
        while True:
            await asyncio.sleep(tick)
            now = loop.time()
            if now - self._heard < settings.silence_s or now - probed < settings.silence_s:
                continue
            probed = now
            if not await self._api.healthy(settings.probe_timeout_s):
                self._on_down()
                raise LinkLost("no answer from the backend")
            if loop.time() - self._heard > settings.stale_s:
                return  # alive but this stream says nothing: open a new one

    async def _apply_batches(self) -> None:
        """Apply queued events in batches: a burst read in one go is applied in one go."""
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                self._on_events(batch)
            except Exception:
                log.exception("could not apply %d streamed events", len(batch))

"""Server-Sent Events: the store stream and the order stream.

Each stream subscribes to the store's in-memory broadcaster first, then sends the past
events from the event store, then the live ones as the writer hands them over after each
commit (no polling), skipping any it already sent (by seq). Each message is encoded once
and shared by every client. A client that falls too far behind is dropped; it resumes with
Last-Event-ID and loses nothing.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from backend.problems import ApiError
from core.errors import ErrorCode
from core.events import Event

MAX_BACKLOG = 10_000  # messages queued for one client before it is dropped
PAST_BATCH = 500


def encode(event: Event) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        event.seq or 0,
        event.type.encode(),
        event.model_dump_json().encode(),
    )


class Subscriber:
    def __init__(self, order_id: str | None) -> None:
        self.order_id = order_id
        self.backlog: deque[tuple[int, bytes]] = deque()
        self.closed = False
        self._waiter: asyncio.Future[bool] | None = None

    def offer(self, seq: int, message: bytes) -> None:
        if self.closed:
            return
        if len(self.backlog) >= MAX_BACKLOG:
            self.close()  # too slow: drop it rather than hold up anyone else
            return
        self.backlog.append((seq, message))
        self._wake()

    def close(self) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(True)

    async def wait(self, timeout: float) -> bool:
        """Until a message or the close (True), or `timeout` seconds of nothing (False).
        A future and a timer, not `wait_for` (a task per wait, on every wake of every stream)."""
        if self.backlog or self.closed:
            return True
        loop = asyncio.get_running_loop()
        self._waiter = waiter = loop.create_future()
        timer = loop.call_later(timeout, _time_up, waiter)
        try:
            return await waiter
        finally:
            timer.cancel()
            self._waiter = None


def _time_up(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


class Broadcaster:
    """One store's live events, fanned out to its streams (on the event loop only)."""

    def __init__(self) -> None:
        self._store_streams: set[Subscriber] = set()
        self._order_streams: dict[str, set[Subscriber]] = {}

    def subscribe(self, order_id: str | None = None) -> Subscriber:
        subscriber = Subscriber(order_id)
        if order_id is None:
            self._store_streams.add(subscriber)
        else:
            self._order_streams.setdefault(order_id, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber.order_id is None:
            self._store_streams.discard(subscriber)
            return
        group = self._order_streams.get(subscriber.order_id)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._order_streams[subscriber.order_id]

    @property
    def client_count(self) -> int:
        return len(self._store_streams) + sum(len(g) for g in self._order_streams.values())

    def publish(self, events: list[Event]) -> None:
        for event in events:
            listeners = list(self._store_streams)
            if event.order_id is not None:
                listeners.extend(self._order_streams.get(event.order_id, ()))
            if not listeners:
                continue  # nobody to encode it for
            message, seq = encode(event), event.seq or 0
            for subscriber in listeners:
                subscriber.offer(seq, message)

    def close_all(self) -> None:
        for subscriber in list(self._store_streams):
            subscriber.close()
        for group in list(self._order_streams.values()):
            for subscriber in list(group):
                subscriber.close()


PastReader = Callable[[int], list[Event]]  # events with seq > cursor (a batch), blocking
KnownReader = Callable[[int], list[Event] | None]  # from memory, at once; None: not known here


async def _messages(
    broadcaster: Broadcaster,
    subscriber: Subscriber,
    cursor: int,
    read_past: PastReader,
    keepalive_s: float,
    read_known: KnownReader | None = None,
) -> AsyncIterator[bytes]:
    try:
        yield b": connected\n\n"
        # What this process already holds needs no thread and no database read.
        known = read_known(cursor) if read_known is not None else None
        while known is None and not subscriber.closed:
            past = await asyncio.to_thread(read_past, cursor)
            if chunk := _fresh(past, cursor):
                cursor = past[-1].seq or cursor
                yield chunk
            if len(past) < PAST_BATCH:
                break
        if known:
            chunk = _fresh(known, cursor)
            cursor = max(cursor, known[-1].seq or cursor)
            if chunk:
                yield chunk
        while True:
            # Everything waiting goes out as one write: after a group commit a client can
            # have dozens of messages queued, and each write costs a trip through the stack.
            parts = []
            while subscriber.backlog:
                seq, message = subscriber.backlog.popleft()
                if seq > cursor:
                    cursor = seq
                    parts.append(message)
            if parts:
                yield b"".join(parts)
            if subscriber.closed:
                return
            if not await subscriber.wait(keepalive_s):
                yield b": keep-alive\n\n"
    finally:
        broadcaster.unsubscribe(subscriber)


def _fresh(events: list[Event], cursor: int) -> bytes:
    """The messages of the events after `cursor` (events in seq order), as one chunk."""
    return b"".join(encode(e) for e in events if (e.seq or 0) > cursor)


def stream_response(
    broadcaster: Broadcaster,
    order_id: str | None,
    cursor: int,
    read_past: PastReader,
    keepalive_s: float,
    read_known: KnownReader | None = None,
) -> StreamingResponse:
    subscriber = broadcaster.subscribe(order_id)  # before reading the past: nothing falls between
    messages = _messages(broadcaster, subscriber, cursor, read_past, keepalive_s, read_known)
    return EventStreamResponse(messages, broadcaster, subscriber)


class EventStreamResponse(StreamingResponse):
    """A stream that ends when its client leaves, without Starlette's task group: one task
    waits for the disconnect and closes the subscriber, which ends the messages."""

    def __init__(
        self, messages: AsyncIterator[bytes], broadcaster: Broadcaster, subscriber: Subscriber
    ) -> None:
        super().__init__(
            messages,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self._broadcaster = broadcaster
        self._subscriber = subscriber

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watcher = asyncio.ensure_future(self._until_gone(receive))
        try:
            await self.stream_response(send)
        finally:
            watcher.cancel()
            self._broadcaster.unsubscribe(self._subscriber)  # also when the stream never began

    async def _until_gone(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self._subscriber.close()


def resume_cursor(after: int, last_event_id: str | None) -> int:
    """Last-Event-ID wins over `after` (a reconnecting EventSource repeats its first URL)."""
    if last_event_id is not None and last_event_id.strip().isdigit():
        return int(last_event_id.strip())
    return after


def parse_after(raw: str | None) -> int:
    """The `after` query parameter (checked after authentication, so errors keep their order)."""
    if raw is None:
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise ApiError(ErrorCode.VALIDATION_ERROR, "after must be a whole number >= 0")
    return int(raw)


SSE_RESPONSE = {
    "description": "Server-Sent Events: `id:` seq, `event:` type, `data:` the Event JSON",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}

"""The in-process event bus: every stored event, offered to whoever subscribed to it.

Subscribers register a handler with a pattern (`core.bus_pattern`). `publish` takes stored
events only (with their `seq`), so a subscriber never hears of an event that a crash could
still lose. A plain function is called at once, in the publisher's thread; a coroutine
function gets its events in publish order from a queue on its own event loop, one at a
time. A failing subscriber is logged and counted; it stops neither the others nor the
publisher.

Publishing is on the hot path (the backend publishes every appended event): subscribers are
routed by event type through a dictionary rebuilt on (un)subscribe, and patterns are
compiled to plain predicates when subscribing.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from core.bus_pattern import Pattern, Predicate, compile_pattern, event_types
from core.events import EVENT_TYPES, Event

log = logging.getLogger(__name__)

Handler = Callable[[Event], None] | Callable[[Event], Awaitable[None]]


class UnstoredEventError(ValueError):
    """An event without `seq` was published: only stored events go on the bus."""


@dataclass(eq=False)
class Subscription:
    """One subscriber. `delivered` and `failures` count handler calls (for metrics)."""

    name: str
    handler: Handler
    matches: Predicate | None
    types: frozenset[str] | None
    delivered: int = 0
    failures: int = 0
    loop: asyncio.AbstractEventLoop | None = None
    queue: asyncio.Queue[Event] | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def failed(self, event: Event) -> None:
        self.failures += 1
        log.exception(
            "bus subscriber %s failed on %s %s (seq %s)", self.name, event.type, event.id, event.seq
        )


class EventBus:
    def __init__(self) -> None:
        self._subscriptions: tuple[Subscription, ...] = ()
        self._routes: dict[str, tuple[Subscription, ...]] = {}

    @property
    def subscriptions(self) -> tuple[Subscription, ...]:
        return self._subscriptions

    def subscribe(
        self,
        handler: Handler,
        pattern: Pattern | None = None,
        *,
        name: str | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> Subscription:
        """Offer `handler` every published event that matches `pattern` (None: all).

        A coroutine function needs an event loop: `loop`, else the running one.
        Raises `PatternError` for a pattern that cannot match as written.
        """
        subscription = Subscription(
            name=name or str(getattr(handler, "__qualname__", repr(handler))),
            handler=handler,
            matches=compile_pattern(pattern),
            types=event_types(pattern),
        )
        if _is_async(handler):
            self._start_consumer(subscription, loop)
        self._subscriptions = (*self._subscriptions, subscription)
        self._reroute()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop offering events to `subscription`; its pending async events are dropped."""
        self._subscriptions = tuple(s for s in self._subscriptions if s is not subscription)
        self._reroute()
        if subscription.loop is not None and not subscription.loop.is_closed():
            # Queued behind the consumer's start, if that is still pending.
            subscription.loop.call_soon_threadsafe(_stop_task, subscription)

    def close(self) -> None:
        for subscription in self._subscriptions:
            self.unsubscribe(subscription)

    def publish(self, event: Event) -> None:
        """Offer one stored event to its subscribers. Never raises for a subscriber's fault."""
        if event.seq is None:
            raise UnstoredEventError(f"{event.type} {event.id} has no seq: publish it after it is stored")
        for subscription in self._routes.get(event.type, ()):
            matches = subscription.matches
            if matches is not None:
                try:
                    if not matches(event):
                        continue
                except Exception:
                    subscription.failed(event)
                    continue
            if subscription.queue is None:
                subscription.delivered += 1
                try:
                    subscription.handler(event)
                except Exception:
                    subscription.failed(event)
            else:
                self._enqueue(subscription, event)

    def publish_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.publish(event)

    async def drain(self) -> None:
        """Wait until the async subscribers on this loop have handled what was published."""
        await asyncio.sleep(0)  # let events handed over from other threads arrive first
        loop = asyncio.get_running_loop()
        for subscription in self._subscriptions:
            if subscription.queue is not None and subscription.loop is loop:
                await subscription.queue.join()

    # -- internals ----------------------------------------------------------------------

    def _reroute(self) -> None:
        self._routes = {
            type_: tuple(s for s in self._subscriptions if s.types is None or type_ in s.types)
            for type_ in EVENT_TYPES
        }

    def _start_consumer(self, subscription: Subscription, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                raise RuntimeError(
                    f"async subscriber {subscription.name} needs an event loop: subscribe from "
                    "a coroutine or pass loop="
                ) from None
        subscription.loop = loop
        subscription.queue = asyncio.Queue()
        if asyncio.events._get_running_loop() is loop:
            _start_task(subscription)
        else:  # subscribing from another thread: the loop starts the consumer itself
            loop.call_soon_threadsafe(_start_task, subscription)

    @staticmethod
    def _enqueue(subscription: Subscription, event: Event) -> None:
        loop, queue = subscription.loop, subscription.queue
        assert loop is not None and queue is not None
        if asyncio.events._get_running_loop() is loop:
            queue.put_nowait(event)
            return
        try:
            loop.call_soon_threadsafe(queue.put_nowait, event)
        except RuntimeError:  # its loop has closed: the subscriber is gone
            subscription.failed(event)


def _is_async(handler: Handler) -> bool:
    """A coroutine function, or an object whose `__call__` is one."""
    call = None if inspect.isroutine(handler) else inspect.getattr_static(handler, "__call__", None)
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call)


def _start_task(subscription: Subscription) -> None:
    assert subscription.loop is not None
    subscription.task = subscription.loop.create_task(_consume(subscription), name=f"bus:{subscription.name}")


def _stop_task(subscription: Subscription) -> None:
    if subscription.task is not None:
        subscription.task.cancel()


async def _consume(subscription: Subscription) -> None:
    queue = subscription.queue
    assert queue is not None
    while True:
        event = await queue.get()
        subscription.delivered += 1
        try:
            result: Any = subscription.handler(event)
            await result
        except Exception:
            subscription.failed(event)
        finally:
            queue.task_done()

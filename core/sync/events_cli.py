"""`espresso events [--follow] [--after SEQ]`: the store's events, one readable line each.

    14:03:12  #   118  OrderPlaced     #42   Ada           flat-white (milk: Oat)  ← 01a2f3…

Local time, the event's seq, type, order number, actor, what it says, and the id of the
command that caused it (shared by every event of one command), so the event-driven
workflow can be watched as it flows. Uses the display token.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from core.config import Settings
from core.events import Event
from core.sync.backoff import Backoff
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from core.sync.sse import SseParser
from core.text import clean_text

PAGE = 500


def summary_of(event: Event) -> str:
    data = event.data
    if event.type == "OrderStarted":
        return clean_text(str(data.get("customer_name", ""))) + (" (walk-up)" if data.get("walkup") else "")
    if event.type == "OrderPlaced":
        options = ", ".join(f"{k}: {v}" for k, v in (data.get("options") or {}).items())
        return f"{data.get('item')}" + (f" ({clean_text(options)})" if options else "")
    if event.type == "OrderClaimed":
        return f"by {clean_text(str(data.get('barista', '')))}"
    if event.type in ("OrderCancelled", "OrderTimedOut"):
        return clean_text(str(data.get("reason", "")))
    if event.type == "MenuChanged":
        return f"{len(data.get('menu') or [])} items"
    return ""


def format_event(event: Event, number: int | None) -> str:
    """One line: local time, seq, type, order number, actor, summary, causation id."""
    when = event.time.astimezone().strftime("%H:%M:%S")
    label = f"#{number}" if number is not None else "-"
    actor = clean_text(event.actor)[:14]
    cause = f"  ← {event.causation_id}" if event.causation_id else ""
    return f"{when}  {event.seq or 0:>6}  {event.type:<15} {label:<6} {actor:<14} {summary_of(event)}{cause}"


class Numbers:
    """Order numbers by order id, learned from OrderPlaced events."""

    def __init__(self) -> None:
        self._by_order: dict[str, int] = {}

    def learn(self, event: Event) -> int | None:
        if event.type == "OrderPlaced" and event.order_id and "number" in event.data:
            self._by_order[event.order_id] = int(event.data["number"])
        return self._by_order.get(event.order_id or "")


def run(settings: Settings, server: str | None, store: str | None, follow: bool, after: int) -> int:
    api = BackendApi(
        server or settings.client.server, store or settings.client.store, settings.auth.display_token
    )
    try:
        return asyncio.run(_run(api, follow, after, print))
    except KeyboardInterrupt:
        return 0


async def _run(api: BackendApi, follow: bool, after: int, out: Callable[[str], None]) -> int:
    numbers = Numbers()
    try:
        cursor = await _history(api, numbers, after, out)
    except (Unreachable, OutcomeUnknown) as error:
        print(f"espresso events: cannot reach {api.server}: {error}", file=sys.stderr)
        return 1
    except Refused as error:
        print(f"espresso events: {api.server} refused: {error.detail}", file=sys.stderr)
        return 1
    finally:
        if not follow:
            await api.aclose()
    if not follow:
        return 0
    try:
        await _follow(api, numbers, cursor, out)
    finally:
        await api.aclose()
    return 0


async def _history(api: BackendApi, numbers: Numbers, after: int, out: Callable[[str], None]) -> int:
    """Print the events after `after` (reading from the start, to know every order's number)."""
    cursor = 0
    while True:
        events, _ = await api.events_page(cursor, PAGE)
        for event in events:
            number = numbers.learn(event)
            if (event.seq or 0) > after:
                out(format_event(event, number))
        if events:
            cursor = events[-1].seq or cursor
        if len(events) < PAGE:
            return cursor


async def _follow(api: BackendApi, numbers: Numbers, cursor: int, out: Callable[[str], None]) -> None:
    backoff = Backoff()
    while True:
        try:
            async with api.stream_lines(cursor, read_timeout_s=30.0) as lines:
                backoff.reset()
                parser = SseParser()
                async for line in lines:
                    message = parser.feed(line)
                    if message is None or not message.data:
                        continue
                    event = Event.model_validate_json(message.data)
                    if (event.seq or 0) > cursor:
                        cursor = event.seq or cursor
                        out(format_event(event, numbers.learn(event)))
        except (Unreachable, OutcomeUnknown, Refused) as error:
            print(f"espresso events: connection lost ({error}); retrying", file=sys.stderr, flush=True)
        await asyncio.sleep(backoff.next_delay())

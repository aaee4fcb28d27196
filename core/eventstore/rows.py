"""What both stores do to events on the way in and out of a table row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from core.events import EVENT_LIST, Event


def fresh_events(store: str, events: Sequence[Event], known: set[str]) -> list[Event]:
    """The events to append: of `store` (else ValueError), not yet known, each id once."""
    fresh: list[Event] = []
    seen = set(known)
    for event in events:
        if event.store != store:
            raise ValueError(f"event {event.id} belongs to store {event.store!r}, not {store!r}")
        if event.id not in seen:
            seen.add(event.id)
            fresh.append(event)
    return fresh


def numbered(events: Sequence[Event], last_seq: int) -> list[Event]:
    """The events with seqs following `last_seq`."""
    return [event.with_seq(last_seq + offset) for offset, event in enumerate(events, start=1)]


def events_from_bodies(bodies: Iterable[str]) -> list[Event]:
    """Parse stored event JSON (it carries its seq) in one go, which is faster than one by one."""
    joined = ",".join(bodies)
    if not joined:
        return []
    return EVENT_LIST.validate_json(f"[{joined}]")


def micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("an idempotency record's created_at must carry a timezone")
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)

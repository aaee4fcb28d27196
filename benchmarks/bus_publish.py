"""How much publishing one stored event costs on the in-process bus.

.venv/bin/python benchmarks/bus_publish.py [--small]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime

from core.bus import EventBus
from core.events import Event, make_event

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PATTERNS = [
    None,
    {"type": ["OrderPlaced"]},
    {"type": ["OrderPlaced"], "data": {"item": ["flat-white"]}},
    {"store": ["booth"], "data": {"options": {"milk": [{"prefix": "O"}]}}},
]


def events(n: int) -> list[Event]:
    kinds = [
        ("OrderPlaced", {"item": "flat-white", "number": 1, "options": {"milk": "Oat"}}),
        ("OrderClaimed", {"barista": "Bo"}),
        ("OrderCompleted", {"barista": "Bo"}),
    ]
    out = []
    for i in range(n):
        type_, data = kinds[i % len(kinds)]
        event = make_event(type_, store="booth", time=T0, actor="Bo", origin="b", order_id=f"o{i}")  # type: ignore[arg-type]
        out.append(event.model_copy(update={"data": data}).with_seq(i + 1))
    return out


def best_of(bus: EventBus, batch: list[Event], rounds: int = 7) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        bus.publish_all(batch)
        best = min(best, (time.perf_counter() - started) / len(batch))
    return best * 1e6


def sync_case(subscribers: int, batch: list[Event]) -> float:
    bus = EventBus()
    for i in range(subscribers):
        bus.subscribe(lambda e: None, PATTERNS[i % len(PATTERNS)])
    return best_of(bus, batch)


async def async_case(subscribers: int, batch: list[Event]) -> tuple[float, float]:
    bus = EventBus()

    async def handler(event: Event) -> None:
        pass

    for _ in range(subscribers):
        bus.subscribe(handler)
    started = time.perf_counter()
    bus.publish_all(batch)
    published = time.perf_counter() - started
    await bus.drain()
    delivered = time.perf_counter() - started
    bus.close()
    return published / len(batch) * 1e6, delivered / len(batch) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    batch = events(300 if parser.parse_args().small else 30_000)
    for n in (0, 1, 10, 50):
        print(f"sync, {n:>2} subscribers (mixed patterns): {sync_case(n, batch):6.2f} µs per event")
    publish, total = asyncio.run(async_case(10, batch))
    print(
        f"async, 10 subscribers: publish {publish:.2f} µs per event, handled by all {total:.2f} µs per event"
    )


if __name__ == "__main__":
    main()

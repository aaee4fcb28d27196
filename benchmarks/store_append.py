"""How fast the event stores append: single-event transactions, and batches of 100.

    python benchmarks/store_append.py                      # a temporary SQLite file
    python benchmarks/store_append.py postgresql://…/scratch sqlite:///bench.db

Each transaction commits durably (SQLite: fsync of the WAL; PostgreSQL: a normal commit).
Use a scratch database: the events stay in it.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime

from core.events import Event, OrderStartedData, make_event
from core.eventstore.base import EventStore, open_event_store

SINGLE = 500
BATCHES = 50
BATCH_SIZE = 100


def an_event(store: str) -> Event:
    return make_event(
        "OrderStarted",
        store=store,
        time=datetime.now(UTC),
        actor="customer",
        origin="bench",
        order_id=str(uuid.uuid4()),
        data=OrderStartedData(customer_name="Ada"),
    )


def measure(store: EventStore) -> tuple[float, float]:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    for _ in range(SINGLE):
        with store.transaction(name) as tx:
            tx.append([an_event(name)])
    single = SINGLE / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(BATCHES):
        batch = [an_event(name) for _ in range(BATCH_SIZE)]
        with store.transaction(name) as tx:
            tx.append(batch)
    batched = BATCHES * BATCH_SIZE / (time.perf_counter() - started)
    assert store.last_seq(name) == SINGLE + BATCHES * BATCH_SIZE
    return single, batched


def main(urls: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for url in urls or [f"sqlite:///{scratch}/bench.db"]:
            store = open_event_store(url)
            try:
                single, batched = measure(store)
            finally:
                store.close()
            shown = url.split("@")[-1]
            print(f"{shown}: {single:,.0f} single-event transactions/s,", end=" ")
            print(f"{batched:,.0f} events/s in transactions of {BATCH_SIZE}")


if __name__ == "__main__":
    main(sys.argv[1:])

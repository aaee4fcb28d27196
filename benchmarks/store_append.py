"""How fast the event stores append: single-event transactions, and batches of 100.

    python benchmarks/store_append.py                      # a temporary SQLite file
    python benchmarks/store_append.py postgresql://…/scratch sqlite:///bench.db
    python benchmarks/store_append.py --small              # a smoke run

The client's CPU per single-event transaction is printed too (this thread's time: on
PostgreSQL, psycopg's work for the lock, the insert, the notify and the commit).

Each transaction commits durably (SQLite: fsync of the WAL; PostgreSQL: a normal commit).
Use a scratch database: the events stay in it.
"""

from __future__ import annotations

import argparse
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


def measure(store: EventStore, single_count: int, batches: int) -> tuple[float, float, float]:
    """Single-event transactions per second, the client's CPU per one (ms), and events per
    second in transactions of BATCH_SIZE."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    started, cpu = time.perf_counter(), time.thread_time()
    for _ in range(single_count):
        with store.transaction(name) as tx:
            tx.append([an_event(name)], new=True)
    single = single_count / (time.perf_counter() - started)
    cpu_ms = (time.thread_time() - cpu) / single_count * 1000
    started = time.perf_counter()
    for _ in range(batches):
        batch = [an_event(name) for _ in range(BATCH_SIZE)]
        with store.transaction(name) as tx:
            tx.append(batch, new=True)
    batched = batches * BATCH_SIZE / (time.perf_counter() - started)
    assert store.last_seq(name) == single_count + batches * BATCH_SIZE
    return single, cpu_ms, batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="*", help="event stores (default: a temporary SQLite file)")
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    args = parser.parse_args()
    single_count, batches = (20, 2) if args.small else (SINGLE, BATCHES)
    with tempfile.TemporaryDirectory() as scratch:
        for url in args.urls or [f"sqlite:///{scratch}/bench.db"]:
            store = open_event_store(url)
            try:
                single, cpu_ms, batched = measure(store, single_count, batches)
            finally:
                store.close()
            shown = url.split("@")[-1]
            print(
                f"{shown}: {single:,.0f} single-event transactions/s ({cpu_ms:.2f} ms of client CPU each), "
                f"{batched:,.0f} events/s in transactions of {BATCH_SIZE}"
            )


if __name__ == "__main__":
    main()

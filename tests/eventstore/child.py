"""A process that writes to an event store, for the crash and contention tests.

python -m tests.eventstore.child append URL STORE
    appends forever, printing each event id once its transaction has committed;
python -m tests.eventstore.child contend URL STORE ITERATIONS WINDOWS BUDGET
    per iteration, one transaction: take an order number and, if the window's code is
    under budget, use it; prints "number window used" once committed.
"""

from __future__ import annotations

import sys

from core.eventstore.base import open_event_store
from tests.eventstore.contract import DAY
from tests.eventstore.events_for_tests import store_event


def append_forever(url: str, store_id: str) -> None:
    store = open_event_store(url)
    n = 0
    while True:
        batch = [store_event(store_id, n=n + i) for i in range(1 + n % 3)]
        with store.transaction(store_id) as tx:
            tx.append(batch)
        n += len(batch)
        print("\n".join(event.id for event in batch), flush=True)


def contend(url: str, store_id: str, iterations: int, windows: int, budget: int) -> None:
    store = open_event_store(url)
    for i in range(iterations):
        window = i % windows
        with store.transaction(store_id) as tx:
            number, _ = tx.take_numbers(DAY)
            used = tx.code_uses(window) < budget
            if used:
                tx.use_code(window)
        print(number, window, int(used), flush=True)
    store.close()


if __name__ == "__main__":
    mode, url, store_id, *rest = sys.argv[1:]
    if mode == "append":
        append_forever(url, store_id)
    else:
        contend(url, store_id, *(int(arg) for arg in rest))

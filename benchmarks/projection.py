"""What folding events into a projection costs, per event, three ways:

- `apply_all`: one event at a time (the server's writer; an app's live events);
- `load`: a whole log at once, each order derived once (an app opening its replica);
- `adopt`: taking the orders another projection derived (the server's read side, given the
  writer's states with each commit: here one event per commit, the log's events in turn),
  after `states_of` on the writer's side.

    .venv/bin/python benchmarks/projection.py [--small] [--orders 2000]

The log is ORDERS whole lifecycles (started, placed, claimed, completed), four events each.
Each figure is the best of five rounds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import StoreConfig
from core.events import (
    BaristaData,
    Event,
    OrderClaimedData,
    OrderPlacedData,
    OrderStartedData,
    make_event,
)
from core.projection import Projection

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CONFIG = StoreConfig.model_validate({"menu": [{"id": "latte", "name": "Latte", "options": []}]})
ROUNDS = 5


def lifecycles(orders: int) -> list[Event]:
    log: list[Event] = []
    for n in range(orders):
        order_id, at = f"order-{n}", T0 + timedelta(seconds=n)
        steps = [
            ("OrderStarted", "customer", OrderStartedData(customer_name="Ada", customer_id=f"c{n}")),
            ("OrderPlaced", "customer", OrderPlacedData(number=n + 1, item="latte")),
            ("OrderClaimed", "Bo", OrderClaimedData(barista="Bo")),
            ("OrderCompleted", "Bo", BaristaData(barista="Bo")),
        ]
        for k, (kind, actor, data) in enumerate(steps):
            event = make_event(
                kind,  # type: ignore[arg-type]
                store="booth",
                time=at + timedelta(seconds=k),
                actor=actor,
                origin="bench",
                order_id=order_id,
                data=data,
            )
            log.append(event.with_seq(len(log) + 1))
    return log


def best_us_per_event(work: Callable[[], object], events: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best / events * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--orders", type=int, default=2000, help="whole lifecycles in the log")
    args = parser.parse_args()
    orders = 20 if args.small else args.orders
    log = lifecycles(orders)
    writer = Projection("booth", CONFIG)
    commits = []  # (the events of one commit, the writer's states of their orders after it)
    for event in log:
        writer.apply(event)
        commits.append(([event], writer.states_of([event])))
    assert writer.open_count == 0 and len(list(writer.orders())) == orders, "every order completed"

    def adopt_commit_by_commit() -> None:
        read_side = Projection("booth", CONFIG)
        for events, states in commits:
            read_side.adopt(events, states)

    print(f"{orders} orders, {len(log)} events (started, placed, claimed, completed each):")
    figures = {
        "apply_all (one event at a time)": lambda: Projection("booth", CONFIG).apply_all(log),
        "load (the whole log at once)": lambda: Projection("booth", CONFIG).load(log),
        "states_of (the writer's side of adopt)": lambda: [writer.states_of(e) for e, _ in commits],
        "adopt (the read side, commit by commit)": adopt_commit_by_commit,
    }
    for what, work in figures.items():
        print(f"  {what:42s} {best_us_per_event(work, len(log)):6.2f} us per event")


if __name__ == "__main__":
    main()

"""The cyclic garbage collector, tuned for a server whose heap is mostly the day's orders.

The projections hold every order of the day with its events: long-lived objects that the
collector, left at CPython's defaults, walks again and again as the heap grows. On a rush
that was 13% of the server's CPU, and each full collection stopped everything for ~75 ms
(most of a barista stream's worst lag). What a request makes dies by reference counting;
almost none of it forms cycles (a whole rush leaves ~1,700 cyclic objects to collect).

So: what the log held at start is frozen (never walked again; it lives as long as the
projections), the young generation is collected after 50,000 new objects rather than 700,
and the older ones rarely; a full collection once an hour bounds what cycles can pile up.
"""

from __future__ import annotations

import gc
import threading
import time

THRESHOLDS = (50_000, 20, 100)
FULL_COLLECTION_EVERY_S = 3600.0


def tune_for_serving() -> None:
    """Call once the log is loaded, before serving (process-wide: the server's only)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    threading.Thread(target=_collect_now_and_then, name="espresso-gc", daemon=True).start()


def _collect_now_and_then() -> None:
    while True:
        time.sleep(FULL_COLLECTION_EVERY_S)
        gc.collect()

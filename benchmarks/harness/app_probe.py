"""Inside the app's own process: when the first full screen went out, and what one event
costs with the board full. Hooks are wrapped around the real objects (the feed's `ingest`,
the one way events get in; the App's `_display`, where a frame goes to the terminal), so the
app runs unchanged."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the floor run imports nothing of ours
    from core.events import Event


class Frames:
    """When the app wrote each frame (end of `App._display`): wall time, and this thread's CPU."""

    def __init__(self, app: Any) -> None:
        self.times: list[tuple[float, float]] = []
        original = app._display

        def display(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            self.times.append((time.perf_counter(), time.thread_time()))
            return result

        app._display = display

    def after(self, moment: float) -> tuple[float, float] | None:
        """The first frame after `moment` (wall), as (wall, thread CPU)."""
        return next((t for t in self.times if t[0] > moment), None)


class Arrivals:
    """Each batch of events the feed ingests: wall start and end, and this thread's CPU."""

    def __init__(self, feed: Any) -> None:
        self.batches: list[tuple[float, float, float, float]] = []
        original = feed.ingest

        def ingest(events: Sequence[Event]) -> None:
            wall, cpu = time.perf_counter(), time.thread_time()
            original(events)
            self.batches.append((wall, time.perf_counter(), cpu, time.thread_time()))

        feed.ingest = ingest

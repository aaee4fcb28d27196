"""Inside the app's own process: when the first full screen went out, and what one event
costs with the board full. Hooks are wrapped around the real objects (the feed's `ingest`,
the one way events get in; the App's `_display`, where a frame goes to the terminal), so the
app runs unchanged."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the floor run imports nothing of ours
    from core.events import Event


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM). Not `ru_maxrss`: Linux carries that over
    an exec from the process that spawned this one, so it starts at the parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


class Frames:
    """When the app wrote each frame (end of `App._display`): wall time, and this thread's CPU.
    With `full`, also the first frame written while `full()` held: wall time, the process's
    CPU and its peak memory (MiB) then."""

    def __init__(self, app: Any, full: Callable[[], bool] | None = None) -> None:
        self.times: list[tuple[float, float]] = []
        self.first_full: tuple[float, float, float] | None = None
        original = app._display

        def display(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            self.times.append((time.perf_counter(), time.thread_time()))
            if full is not None and self.first_full is None and full():
                usage = resource.getrusage(resource.RUSAGE_SELF)
                cpu = usage.ru_utime + usage.ru_stime
                self.first_full = (self.times[-1][0], cpu, peak_mib())
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

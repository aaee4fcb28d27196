"""An estimate of how long a new order waits, from how fast the stall has been making drinks.

Pure: it reads the recent completed orders and the queue, and knows no clock of its own.
The pace is the median time from claim to completion (robust to one fumbled drink), shared
between the baristas at work. Idle time between customers does not slow the estimate,
because it counts only the time drinks were being made.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

RECENT = timedelta(minutes=30)  # older completions say little about the pace now
SAMPLE = 10  # the most recent completions that count


@dataclass(frozen=True, slots=True)
class Completion:
    barista: str | None
    claimed_at: datetime | None
    completed_at: datetime


def make_seconds(recent: Iterable[Completion], now: datetime) -> float | None:
    """Median seconds from claim to completion over the latest completions, or None."""
    timed = sorted(
        (c for c in recent if c.claimed_at is not None and now - c.completed_at <= RECENT),
        key=lambda c: c.completed_at,
    )[-SAMPLE:]
    durations = [(c.completed_at - c.claimed_at).total_seconds() for c in timed if c.claimed_at]
    durations = [d for d in durations if d >= 0]
    return statistics.median(durations) if durations else None


def estimate_wait_s(
    recent: Iterable[Completion], queued: int, making: int, baristas: int, now: datetime
) -> float | None:
    """Seconds until a drink ordered now is ready, or None when there is no pace to go by.

    `queued` orders wait ahead of it; the `making` ones are about half done on average.
    """
    pace = make_seconds(recent, now)
    if pace is None:
        return None
    workers = max(1, baristas)
    return pace * (queued + making / 2 + 1) / workers


def describe_wait(seconds: float | None) -> str:
    """Words for the board: "under 2 min", "about 6 min", "" when unknown."""
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    if minutes < 2:
        return "under 2 min"
    return f"about {minutes} min"

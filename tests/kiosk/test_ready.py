"""The ready board's bookkeeping: how long each number stays, and when it is news."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.orders import OrderState, OrderStatus
from kiosk.ready import ReadyTracker

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def completed(number: int, ended: datetime) -> OrderState:
    return OrderState(
        id=f"o{number}", store="booth", status=OrderStatus.COMPLETED, number=number, ended_at=ended
    )


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def test_a_live_completion_counts_from_when_the_kiosk_saw_it() -> None:
    tracker = ReadyTracker(display_s=60, highlight_s=10)
    order = completed(7, NOW - timedelta(seconds=30))  # the backend's clock is behind ours
    tracker.seen_completed(order, NOW, live=True)
    assert [(e.number, e.highlighted) for e in tracker.entries([order], at(5))] == [(7, True)]
    assert [(e.number, e.highlighted) for e in tracker.entries([order], at(11))] == [(7, False)]
    assert tracker.entries([order], at(60)) == []


def test_a_completion_found_at_start_counts_from_its_event_time() -> None:
    tracker = ReadyTracker(display_s=60)
    old, recent = completed(1, NOW - timedelta(seconds=90)), completed(2, NOW - timedelta(seconds=50))
    for order in (old, recent):
        tracker.seen_completed(order, NOW, live=False)
    assert [e.number for e in tracker.entries([old, recent], NOW)] == [2]
    assert tracker.entries([old, recent], at(10)) == []


def test_newest_first() -> None:
    tracker = ReadyTracker(display_s=60)
    orders = [completed(n, NOW) for n in (3, 1, 2)]
    for offset, order in enumerate(orders):
        tracker.seen_completed(order, at(offset), live=True)
    assert [e.number for e in tracker.entries(orders, at(5))] == [2, 1, 3]


def test_an_order_that_is_no_longer_completed_leaves_the_board() -> None:
    tracker = ReadyTracker(display_s=60)
    order = completed(4, NOW)
    tracker.seen_completed(order, NOW, live=True)
    cancelled = replace(order, status=OrderStatus.CANCELLED)  # an earlier cancellation won
    assert tracker.entries([cancelled], at(1)) == []


def test_the_highlight_never_outlasts_the_display() -> None:
    tracker = ReadyTracker(display_s=5, highlight_s=20)
    order = completed(9, NOW)
    tracker.seen_completed(order, NOW, live=True)
    assert tracker.entries([order], at(4))[0].highlighted
    assert tracker.entries([order], at(5)) == []

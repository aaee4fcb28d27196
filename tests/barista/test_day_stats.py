"""The status line's numbers: served today, average wait, queue."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from barista_tui.day_stats import day_stats
from core import commands as c
from core.clock import FakeClock
from tests.barista.support.local_feed import LocalFeed


def test_served_and_average_wait_count_today_only(local_feed: LocalFeed, clock: FakeClock) -> None:
    clock.set(datetime(2026, 11, 26, 23, 0, tzinfo=UTC))
    yesterday = local_feed.customer_order("y", "espresso")
    clock.advance(60)
    local_feed.run(c.CompleteOrder(yesterday, "Ana"))
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    a = local_feed.customer_order("a", "espresso")
    b = local_feed.customer_order("b", "espresso")
    local_feed.customer_order("c", "espresso")
    local_feed.run(c.StartOrder("d"), actor="customer")
    clock.advance(120)
    local_feed.run(c.CompleteOrder(a, "Ana"))
    local_feed.run(c.ClaimOrder(b, "Ana"))
    clock.advance(120)
    local_feed.run(c.CompleteOrder(b, "Ana"))
    later = local_feed.customer_order("e", "espresso")
    local_feed.run(c.ClaimOrder(later, "Bob"))

    stats = day_stats(local_feed.projection.orders(), clock.now(), ZoneInfo("UTC"))

    assert stats.served_today == 2
    assert stats.avg_wait_s == 180  # (120 + 240) / 2
    assert (stats.queued, stats.making, stats.choosing) == (1, 1, 1)


def test_no_orders_no_average(clock: FakeClock) -> None:
    stats = day_stats([], clock.now(), ZoneInfo("UTC"))
    assert stats.served_today == 0 and stats.avg_wait_s is None

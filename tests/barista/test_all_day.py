"""The all-day panel's grouping: what is waiting, by drink and options."""

from __future__ import annotations

from barista_tui.all_day import TIMES, all_day
from core import commands as c
from tests.barista.support.local_feed import LocalFeed


def test_waiting_drinks_group_by_drink_and_options_biggest_first(local_feed: LocalFeed) -> None:
    for milk in ("oat", "Oat", "OAT"):  # the same choice, however it was typed
        local_feed.customer_order("x", "flat-white", {"milk": milk})
    local_feed.customer_order("x", "flat-white", {})  # default: Whole
    local_feed.customer_order("x", "latte", {"milk": "soy", "size": "large"})
    local_feed.customer_order("x", "latte", {"milk": "soy", "size": "large"})
    local_feed.customer_order("x", "americano")

    totals = all_day(local_feed.projection.open_orders(), local_feed.projection.menu)

    assert [str(row) for row in totals.waiting] == [
        f"3 {TIMES} Flat White · Oat",
        f"2 {TIMES} Latte · Soy · Large",
        f"1 {TIMES} Flat White · Whole",
        f"1 {TIMES} Americano",
    ]
    assert totals.waiting_total == 7
    assert totals.making == ()


def test_claimed_drinks_count_as_making_and_finished_ones_drop_out(local_feed: LocalFeed) -> None:
    a = local_feed.customer_order("a", "espresso", {"shots": "double"})
    b = local_feed.customer_order("b", "espresso", {"shots": "double"})
    c_ = local_feed.customer_order("c", "espresso", {"shots": "double"})
    d = local_feed.customer_order("d", "espresso")
    local_feed.run(c.ClaimOrder(a, "Ana"))
    local_feed.run(c.CompleteOrder(b, "Ana"))
    local_feed.run(c.CancelOrder(d, "barista", None))

    totals = all_day(local_feed.projection.open_orders(), local_feed.projection.menu)

    assert [str(row) for row in totals.waiting] == [f"1 {TIMES} Espresso · Double"]
    assert [str(row) for row in totals.making] == [f"1 {TIMES} Espresso · Double"]
    assert c_ in {o.id for o in local_feed.projection.open_orders()}


def test_nothing_waiting_is_empty() -> None:
    from core.menu import Menu

    totals = all_day([], Menu())
    assert totals.waiting == () and totals.making == () and totals.waiting_total == 0

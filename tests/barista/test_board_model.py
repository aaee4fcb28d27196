"""What a card shows and where: lanes, ages, their colour bands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from barista_tui.board import AgeBand, Lane, age_band, card_of, format_age, lane_of
from core import commands as c
from core.clock import FakeClock
from tests.barista.support.local_feed import LocalFeed


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.CALM),
        (119.9, AgeBand.CALM),
        (120, AgeBand.WARNING),
        (299, AgeBand.WARNING),
        (300, AgeBand.LATE),
        (3600, AgeBand.LATE),
    ],
)
def test_age_bands_follow_the_configured_thresholds(age: float, band: AgeBand) -> None:
    assert age_band(age, warning_s=120, late_s=300) is band


def test_other_thresholds_move_the_bands() -> None:
    assert age_band(50, warning_s=30, late_s=60) is AgeBand.WARNING
    assert age_band(61, warning_s=30, late_s=60) is AgeBand.LATE


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (59.9, "0:59"), (61, "1:01"), (3599, "59:59"), (3661, "1:01:01"), (-5, "0:00")],
)
def test_ages_read_as_minutes_and_seconds(seconds: float, shown: str) -> None:
    assert format_age(seconds) == shown


def test_an_order_moves_through_the_lanes(local_feed: LocalFeed, clock: FakeClock) -> None:
    order_id = local_feed.customer_order("Ada Lovelace", "flat-white", {"milk": "oat"})

    def lane() -> Lane | None:
        order = local_feed.projection.order(order_id)
        assert order is not None
        return lane_of(order, clock.now(), ready_window_s=180)

    assert lane() is Lane.QUEUE
    local_feed.run(c.ClaimOrder(order_id, "Ana"))
    assert lane() is Lane.MAKING
    local_feed.run(c.CompleteOrder(order_id, "Ana"))
    assert lane() is Lane.READY
    clock.advance(179)
    assert lane() is Lane.READY
    clock.advance(1)
    assert lane() is None  # picked up by now: off the board


def test_started_and_cancelled_orders_are_not_on_the_board(local_feed: LocalFeed, clock: FakeClock) -> None:
    started = local_feed.run(c.StartOrder("Bo"), actor="customer").order
    assert started is not None
    assert lane_of(started, clock.now(), 180) is None
    order_id = local_feed.customer_order("Cy", "espresso")
    local_feed.run(c.CancelOrder(order_id, "barista", "out of beans"))
    order = local_feed.projection.order(order_id)
    assert order is not None and lane_of(order, clock.now(), 180) is None


def test_a_card_shows_first_name_drink_options_and_who_claimed_it(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    order_id = local_feed.customer_order("Ada Lovelace", "cappuccino", {"milk": "oat", "size": "large"})
    local_feed.run(c.ClaimOrder(order_id, "Bob"))
    order = local_feed.projection.order(order_id)
    assert order is not None
    card = card_of(order, Lane.MAKING, local_feed.projection.menu, me="Ana")
    assert (card.label, card.name, card.drink, card.options) == ("#1", "Ada", "Cappuccino", "Oat · Large")
    assert card.barista == "Bob" and not card.mine
    assert card_of(order, Lane.MAKING, local_feed.projection.menu, me="Bob").mine


def test_queue_cards_sort_oldest_first_and_ready_cards_newest_first(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    first = local_feed.customer_order("A", "espresso")
    clock.advance(10)
    second = local_feed.customer_order("B", "espresso")
    menu = local_feed.projection.menu

    def card(order_id: str, lane: Lane):  # type: ignore[no-untyped-def]
        order = local_feed.projection.order(order_id)
        assert order is not None
        return card_of(order, lane, menu, "Ana")

    assert card(first, Lane.QUEUE).sort_key < card(second, Lane.QUEUE).sort_key
    local_feed.run(c.CompleteOrder(second, "Ana"))
    clock.advance(10)
    local_feed.run(c.CompleteOrder(first, "Ana"))
    assert card(first, Lane.READY).sort_key < card(second, Lane.READY).sort_key
    assert card(first, Lane.READY).since == clock.now()
    assert card(second, Lane.READY).since == clock.now() - timedelta(seconds=10)

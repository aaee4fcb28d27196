"""A long lane: a card more or fewer keeps the scrollbar's idea of the content right, even
when its picture does not change (then it is not repainted). Long enough (120 cards) that
one card more or fewer does not move the thumb: the quiet update is what is checked."""

from __future__ import annotations

from barista_tui.app import BaristaApp
from barista_tui.board import Lane
from core import commands as c
from core.clock import FakeClock
from tests.barista.support.local_feed import LocalFeed
from tests.barista.support.pilot import board, lane_numbers, screen_text, wait_for


async def test_the_scrollbar_follows_a_long_lane(local_feed: LocalFeed, clock: FakeClock) -> None:
    local_feed.projection.config = local_feed.projection.config.model_copy(
        update={"max_queue": 200, "max_open_orders_per_customer": 200}
    )
    ids = []
    for n in range(120):
        ids.append(local_feed.customer_order(f"N{n}", "latte"))
        clock.advance(1)
    app = BaristaApp(local_feed, barista="Ana", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == 120)
        queue = board(app).columns[Lane.QUEUE]
        for order_id in ids[:3]:  # another barista's claims: the queue loses a card each
            local_feed.run(c.ClaimOrder(order_id, "Bob"), actor="Bob")
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == 117)
        assert queue.vertical_scrollbar.window_virtual_size == queue.virtual_size.height == 117 * 4
        # One more, seen at once (before Textual could correct the scrollbar on a later frame).
        local_feed.run(c.ClaimOrder(ids[3], "Bob"), actor="Bob")
        board(app).place(ids[3])
        assert queue.vertical_scrollbar.window_virtual_size == queue.virtual_size.height == 116 * 4
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == 116)
        await pilot.press(*["down"] * 115)  # to the last card: the lane scrolls to it
        await wait_for(pilot, lambda: "#120" in screen_text(app), what="the last card on screen")

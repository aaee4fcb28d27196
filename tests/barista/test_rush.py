"""A rush: 500 orders on the board, and each new event still costs about one card.

What it costs in time is measured by `benchmarks/apps.py` (BENCHMARKS.md); here, what is
drawn: the cards an event changed, not the board.
"""

from __future__ import annotations

from textual.geometry import Region

from barista_tui.app import BaristaApp
from barista_tui.board import Lane
from barista_tui.messages import OrdersChanged
from barista_tui.screens.board import BoardScreen
from barista_tui.widgets.order_column import OrderColumn
from core import commands as c
from core.clock import FakeClock
from core.config import StoreConfig
from tests.barista.support.local_feed import LocalFeed
from tests.barista.support.pilot import board, lane_numbers, wait_for

RUSH = 500


def repaint(column: OrderColumn) -> None:
    """Draw every line on screen, as a refresh of the column would."""
    column.render_lines(Region(0, 0, column.size.width, column.size.height))


async def test_one_event_in_a_rush_of_500_redraws_only_the_cards_it_changed(
    store_config: StoreConfig, clock: FakeClock
) -> None:
    local_feed = LocalFeed(store_config.model_copy(update={"max_queue": RUSH * 2}), clock)
    items = ["flat-white", "latte", "espresso", "americano"]
    ids = [local_feed.customer_order(f"Guest{i}", items[i % 4]) for i in range(RUSH)]
    app = BaristaApp(local_feed, barista="Ana", clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == RUSH)
        screen: BoardScreen = board(app)
        columns = list(screen.columns.values())
        drawn: list[str] = []
        for column in columns:
            original = column.painter.paint

            def counting(card, *args, _original=original):  # type: ignore[no-untyped-def]
                drawn.append(card.order_id)
                return _original(card, *args)

            column.painter.paint = counting  # type: ignore[method-assign]
            repaint(column)

        local_feed.remove_listener(screen.bridge.heard)  # deliver by hand, to see what each draws
        for order_id in ids[1:9]:  # the top of the queue, on screen (the cursor stays on #1)
            local_feed.run(c.ClaimOrder(order_id, "Bob"), actor="Bob")
            drawn.clear()
            screen.on_orders_changed(OrdersChanged({order_id}))
            for column in columns:
                repaint(column)
            # The claimed card left the queue and joined Making; the cards that slid up one
            # place in the queue are drawn from cache (a card is drawn once, not per place).
            assert order_id in drawn
            assert len(drawn) <= 3, drawn
        making = screen.columns[Lane.MAKING]
        for order_id in ids[300:340]:  # off the queue's screen: at most its new card in Making
            width = making.scrollable_content_region.width
            local_feed.run(c.ClaimOrder(order_id, "Bob"), actor="Bob")
            drawn.clear()
            screen.on_orders_changed(OrdersChanged({order_id}))
            for column in columns:
                repaint(column)
            if making.scrollable_content_region.width != width:
                continue  # Making's scrollbar came, its cards narrower: each drawn again, once
            assert set(drawn) <= {order_id}, drawn
        assert len(lane_numbers(app, Lane.MAKING)) == 8 + 40

"""The key line at the bottom of the board: there from the first frame, and a mouse works it."""

from __future__ import annotations

from barista_tui.app import BaristaApp
from barista_tui.board import Lane
from barista_tui.widgets.key_bar import KeyBar
from core.clock import FakeClock
from core.orders import OrderStatus
from tests.barista.support.local_feed import LocalFeed
from tests.barista.support.pilot import lane_numbers, screen_text, wait_for


def spot_of(bar: KeyBar, description: str) -> int:
    """The cell of the key whose tooltip or description starts with `description`."""
    return next(spot.start for spot in bar.spots if spot.tooltip.startswith(description))


async def test_the_keys_are_on_the_first_frame_that_shows_the_orders(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    local_feed.customer_order("Ada", "latte", {})
    app = BaristaApp(local_feed, barista="Ana", clock=clock)
    frames: list[str] = []
    original = app._display

    def display(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        frames.append(screen_text(app))

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1])
        first = next(frame for frame in frames if "#1" in frame)
        bottom = first.splitlines()[-1]
        assert "↑↓←→ Move" in bottom and "Claim" in bottom and "? Help" in bottom, bottom


async def test_a_click_on_a_key_presses_it_and_the_pointer_shows_what_it_does(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    order_id = local_feed.customer_order("Ada", "latte", {})
    app = BaristaApp(local_feed, barista="Ana", clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1])
        bar = app.screen.query_one(KeyBar)
        claim = spot_of(bar, "Claim the order")
        assert screen_text(app).splitlines()[-1][claim:].startswith("⏎ Claim")

        await pilot.hover(bar, offset=(claim, 0))
        await wait_for(pilot, lambda: bar.tooltip == "Claim the order: you are making it")
        await pilot.hover(bar, offset=(0, 0))  # between keys: no tooltip
        await wait_for(pilot, lambda: bar.tooltip is None)

        await pilot.click(bar, offset=(claim, 0))
        await wait_for(pilot, lambda: local_feed.projection.order(order_id).status is OrderStatus.MAKING)  # type: ignore[union-attr]
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [1])

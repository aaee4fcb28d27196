"""The board from the keyboard alone (and a mouse), on an in-memory feed.

These check the terminal's own behaviour: keys, dialogs, what is shown. That each command
reaches a real backend is checked in test_against_backend.py.
"""

from __future__ import annotations

from barista_tui.all_day import TIMES
from barista_tui.app import BaristaApp
from barista_tui.board import Lane
from barista_tui.screens.board import BoardScreen
from barista_tui.screens.help import HelpScreen
from barista_tui.screens.timeline import TimelineScreen
from core import commands as c
from core.clock import FakeClock
from core.orders import OrderStatus
from tests.barista.support.local_feed import LocalFeed
from tests.barista.support.pilot import board, lane_numbers, screen_text, selected_number, told, wait_for


def make_app(feed: LocalFeed, clock: FakeClock) -> BaristaApp:
    return BaristaApp(feed, barista="Ana", clock=clock)


def three_orders(feed: LocalFeed, clock: FakeClock) -> list[str]:
    ids = []
    for name, item, options in (
        ("Ada", "flat-white", {"milk": "oat"}),
        ("Bo", "latte", {}),
        ("Cy", "espresso", {"shots": "double"}),
    ):
        ids.append(feed.customer_order(name, item, options))
        clock.advance(30)
    return ids


def status(feed: LocalFeed, order_id: str) -> OrderStatus | None:
    order = feed.projection.order(order_id)
    return order.status if order else None


async def test_claim_complete_unclaim_from_the_keyboard(local_feed: LocalFeed, clock: FakeClock) -> None:
    first, second, _ = three_orders(local_feed, clock)
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2, 3])
        assert selected_number(app) == 1

        await pilot.press("enter")
        await wait_for(pilot, lambda: status(local_feed, first) is OrderStatus.MAKING)
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [1])
        assert selected_number(app) == 2  # the next in line takes the cursor
        await wait_for(pilot, lambda: "Claimed #1" in told(app))

        await pilot.press("l")  # to Making
        assert selected_number(app) == 1
        await pilot.press("u")
        await wait_for(pilot, lambda: status(local_feed, first) is OrderStatus.QUEUED)
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2, 3])

        await pilot.press("left", "down", "space")  # complete #2 straight from the queue
        await wait_for(pilot, lambda: status(local_feed, second) is OrderStatus.COMPLETED)
        await wait_for(pilot, lambda: lane_numbers(app, Lane.READY) == [2])
        assert "#2 is ready" in told(app)


async def test_cancel_asks_for_a_reason_and_escape_keeps_the_order(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    first, *_ = three_orders(local_feed, clock)
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: selected_number(app) == 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: "Cancel #1 for Ada?" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert status(local_feed, first) is OrderStatus.QUEUED

        await pilot.press("x")
        await wait_for(pilot, lambda: not isinstance(app.screen, BoardScreen))
        await pilot.press(*"out of oat", "enter")
        await wait_for(pilot, lambda: status(local_feed, first) is OrderStatus.CANCELLED)
        order = local_feed.projection.order(first)
        assert order is not None and order.reason == "barista: out of oat"
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [2, 3])


async def test_moving_across_and_within_lanes(local_feed: LocalFeed, clock: FakeClock) -> None:
    ids = three_orders(local_feed, clock)
    local_feed.run(c.ClaimOrder(ids[2], "Bob"))
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [3])
        await pilot.press("j")
        assert selected_number(app) == 2
        await pilot.press("down", "down")  # stops at the last card
        assert selected_number(app) == 2
        await pilot.press("k", "up")
        assert selected_number(app) == 1
        await pilot.press("right")
        assert board(app).active_lane is Lane.MAKING and selected_number(app) == 3
        await pilot.press("l")
        assert board(app).active_lane is Lane.READY and selected_number(app) is None
        await pilot.press("l")  # no lane further right
        assert board(app).active_lane is Lane.READY
        await pilot.press("h", "h")
        assert board(app).active_lane is Lane.QUEUE


async def test_a_click_selects_a_card(local_feed: LocalFeed, clock: FakeClock) -> None:
    three_orders(local_feed, clock)
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2, 3])
        column = board(app).columns[Lane.QUEUE]
        await pilot.click(column, offset=(5, 1 + 4 * 2 + 1))  # border, then the third card
        assert selected_number(app) == 3


async def test_a_walk_up_in_a_few_keys(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await wait_for(pilot, lambda: "Walk-up order" in screen_text(app))
        await pilot.press("2")  # Flat White
        await wait_for(pilot, lambda: "Milk:" in screen_text(app))
        await pilot.press("2")  # Oat
        await pilot.press(*"Zoe", "enter")
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1])
        order = next(local_feed.projection.orders())
        assert (order.customer_name, order.item, order.options, order.walkup) == (
            "Zoe",
            "flat-white",
            {"milk": "Oat"},
            True,
        )
        await wait_for(pilot, lambda: "Walk-up #1 for Zoe placed" in told(app))


async def test_walk_up_escape_steps_back_then_closes(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w", "4")  # Latte
        await wait_for(pilot, lambda: "Milk:" in screen_text(app))
        await pilot.press("enter")  # the default milk
        await wait_for(pilot, lambda: "Size:" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Milk:" in screen_text(app))
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert list(local_feed.projection.orders()) == []


async def test_find_by_number_selects_the_card(local_feed: LocalFeed, clock: FakeClock) -> None:
    ids = three_orders(local_feed, clock)
    local_feed.run(c.ClaimOrder(ids[1], "Bob"))
    local_feed.run(c.CancelOrder(ids[2], "customer"))
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [2])
        await pilot.press("slash", "2", "enter")
        await wait_for(pilot, lambda: board(app).active_lane is Lane.MAKING)
        assert selected_number(app) == 2
        await pilot.press("f", "3", "enter")
        await wait_for(pilot, lambda: any("#3 is cancelled (customer)" in t for t in told(app)))
        await pilot.press("f", "9", "enter")
        await wait_for(pilot, lambda: "No order #9 here" in told(app))


async def test_open_and_close_the_store_ask_first(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: " OPEN " in screen_text(app))
        await pilot.press("o")
        await wait_for(pilot, lambda: "Close the store?" in screen_text(app))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert local_feed.projection.is_open
        await pilot.press("o", "y")
        await wait_for(pilot, lambda: not local_feed.projection.is_open)
        await wait_for(pilot, lambda: " CLOSED " in screen_text(app))
        await pilot.press("o")
        await wait_for(pilot, lambda: "Open the store?" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: local_feed.projection.is_open)


async def test_stock_marks_a_milk_run_out_and_back(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)

    def oat_out() -> bool:
        item = local_feed.projection.menu.item("flat-white")
        assert item is not None
        milk = item.option("milk")
        assert milk is not None
        return not milk.is_available("Oat")

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "Milk: Oat" in screen_text(app))
        lines = app.screen.lines  # type: ignore[attr-defined]
        oat = next(i for i, line in enumerate(lines) if line.label == "Milk: Oat")
        for _ in range(oat):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, oat_out)
        await wait_for(pilot, lambda: "RUN OUT" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not oat_out())
        await pilot.press("1")  # the first drink, by its number
        await wait_for(pilot, lambda: not local_feed.projection.menu.items[0].available)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))


async def test_timeline_lists_every_event_of_the_order(local_feed: LocalFeed, clock: FakeClock) -> None:
    first, *_ = three_orders(local_feed, clock)
    local_feed.run(c.ClaimOrder(first, "Bob"))
    app = make_app(local_feed, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [1])
        await pilot.press("l", "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TimelineScreen))
        text = screen_text(app)
        for word in ("Started", "Placed", "Claimed", "by Bob", "customer", "#1 Flat White · Oat"):
            assert word in text, word
        local_feed.run(c.CompleteOrder(first, "Bob"))  # it follows the order live
        await wait_for(pilot, lambda: "Completed" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))


async def test_all_day_panel_shows_what_is_waiting(local_feed: LocalFeed, clock: FakeClock) -> None:
    for _ in range(3):
        local_feed.customer_order("x", "flat-white", {"milk": "oat"})
    local_feed.customer_order("x", "americano")
    app = make_app(local_feed, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == 4)
        assert f"3 {TIMES} Flat White · Oat" not in screen_text(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: f"3 {TIMES} Flat White · Oat" in screen_text(app))
        local_feed.customer_order("x", "flat-white", {"milk": "oat"})
        await wait_for(pilot, lambda: f"4 {TIMES} Flat White · Oat" in screen_text(app))
        await pilot.press("a")
        await wait_for(pilot, lambda: f"4 {TIMES} Flat White · Oat" not in screen_text(app))


async def test_the_bell_rings_for_new_orders_and_can_be_turned_off(
    local_feed: LocalFeed, clock: FakeClock
) -> None:
    app = make_app(local_feed, clock)
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: board(app).is_mounted)
        local_feed.run(c.StartOrder("Ada"), actor="customer")  # started: still choosing, no bell
        await pilot.pause()
        assert rings == []
        local_feed.run(c.WalkUp("Di", "espresso", {}), number=True)  # my own walk-up: no ring
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1])
        assert rings == []
        local_feed.customer_order("Bo", "espresso")
        await wait_for(pilot, lambda: rings == [1])
        await pilot.press("b")
        await wait_for(pilot, lambda: "Bell off" in told(app))
        local_feed.customer_order("Cy", "espresso")
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2, 3])
        assert rings == [1]


async def test_names_are_shown_as_typed_never_as_markup(local_feed: LocalFeed, clock: FakeClock) -> None:
    local_feed.customer_order("[bold]x[/]", "espresso")
    local_feed.run(c.WalkUp("[link=x]y", "espresso", {}), number=True)
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "[bold]x[/]" in screen_text(app))
        assert "[link=x]y" in screen_text(app)
        await pilot.press("x")  # the cancel dialog names the customer too
        await wait_for(pilot, lambda: "Cancel #1 for [bold]x[/]?" in screen_text(app))


async def test_notices_from_the_feed_are_shown_and_stay(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: board(app).is_mounted)
        local_feed.say("#42 was cancelled by the customer before you completed it", clock.now())
        await wait_for(
            pilot, lambda: told(app) == ["#42 was cancelled by the customer before you completed it"]
        )
        notification = next(iter(app._notifications))  # type: ignore[attr-defined]
        assert notification.timeout >= 30 and notification.severity == "warning"


async def test_help_lists_every_key(local_feed: LocalFeed, clock: FakeClock) -> None:
    app = make_app(local_feed, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        for binding in BoardScreen.BINDINGS:
            assert binding.tooltip in text  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))

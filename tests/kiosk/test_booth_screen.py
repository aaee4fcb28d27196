"""The booth screen against a local feed: what people at the stall read on it."""

from __future__ import annotations

from datetime import timedelta

from core.clock import FakeClock
from kiosk.app import KioskApp
from kiosk.ready import HIGHLIGHT_S
from kiosk.widgets.board import MakingList, ReadyNumber
from kiosk.widgets.code_panel import CodePanel
from kiosk.widgets.countdown import CountdownBar
from kiosk.widgets.qr_code import QrCode
from tests.kiosk.conftest import URL, wait_until
from tests.kiosk.local_feed import LocalFeed
from tests.kiosk.screen_reading import region_text, screen_text


def ready_numbers(app: KioskApp) -> list[str]:
    return [n.value for n in app.screen.query(ReadyNumber)]


def highlighted(app: KioskApp) -> list[str]:
    return [n.value for n in app.screen.query(ReadyNumber) if n.has_class("-new")]


def making_text(app: KioskApp) -> str:
    return region_text(app, app.screen.query_one(MakingList))


def panel_text(app: KioskApp) -> str:
    return region_text(app, app.screen.query_one(CodePanel)).replace(" ", "")


def qr_data(app: KioskApp) -> str:
    return app.screen.query_one(QrCode).data


async def test_an_order_moves_from_waiting_to_making_to_ready(kiosk: KioskApp, open_feed: LocalFeed) -> None:
    async with kiosk.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code")
        ada = open_feed.order("Ada Lovelace")
        open_feed.order("Bob")
        await wait_until(pilot, lambda: "2 orders waiting" in screen_text(kiosk), "two waiting")
        assert "No drinks being made" in making_text(kiosk)

        open_feed.claim_order(ada)
        await wait_until(pilot, lambda: "#1   Ada" in making_text(kiosk), "Ada being made")
        assert "Lovelace" not in screen_text(kiosk)  # first names only on a public screen
        assert "1 order waiting" in screen_text(kiosk)

        open_feed.complete_order(ada)
        await wait_until(pilot, lambda: ready_numbers(kiosk) == ["1"], "number 1 ready")
        assert "Ada" not in making_text(kiosk)
        assert highlighted(kiosk) == ["1"]


async def test_customer_names_are_shown_literally(kiosk: KioskApp, open_feed: LocalFeed) -> None:
    async with kiosk.run_test(size=(100, 30)) as pilot:
        for name in ("[b]Zoe[/b]", "[red]", "Émile"):
            open_feed.claim_order(open_feed.order(name))
        await wait_until(pilot, lambda: "Émile" in making_text(kiosk), "the orders being made")
        text = making_text(kiosk)
        assert "[b]Zoe[/b]" in text
        assert "[red]" in text


async def test_ready_numbers_newest_first_highlighted_then_cleared(
    kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock
) -> None:
    async with kiosk.run_test(size=(100, 30)) as pilot:
        first, second = open_feed.order("Ada"), open_feed.order("Bob")
        open_feed.complete_order(first)
        await wait_until(pilot, lambda: ready_numbers(kiosk) == ["1"], "number 1 ready")
        clock.advance(HIGHLIGHT_S + 1)
        open_feed.complete_order(second)
        await wait_until(pilot, lambda: ready_numbers(kiosk) == ["2", "1"], "2 then 1")
        assert highlighted(kiosk) == ["2"]

        clock.advance(HIGHLIGHT_S)
        await wait_until(pilot, lambda: highlighted(kiosk) == [], "the highlight to end")
        assert ready_numbers(kiosk) == ["2", "1"]

        clock.advance(120 - 2 * HIGHLIGHT_S)  # ready_display_s after the first number arrived
        await wait_until(pilot, lambda: ready_numbers(kiosk) == ["2"], "number 1 to leave the board")
        clock.advance(HIGHLIGHT_S + 1)
        await wait_until(pilot, lambda: ready_numbers(kiosk) == [], "the board to clear")


async def test_old_completions_do_not_come_back_at_start(feed: LocalFeed, clock: FakeClock) -> None:
    feed.open()
    feed.complete_order(feed.order("Ada"))
    clock.advance(600)
    feed.complete_order(feed.order("Bob"))
    clock.advance(HIGHLIGHT_S + 5)  # the kiosk starts a little later
    app = KioskApp(feed, clock, tick_s=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: ready_numbers(app) == ["2"], "only the recent number")
        assert highlighted(app) == []  # ready for a while already: counted from its event time


async def test_the_code_shows_with_its_url_and_drinks_left(kiosk: KioskApp, open_feed: LocalFeed) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: URL in panel_text(kiosk).replace("\n", ""), "the URL")
        assert "7drinksleftonthiscode" in panel_text(kiosk)


async def test_a_started_order_refreshes_drinks_left(kiosk: KioskApp, open_feed: LocalFeed) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "7 drinks left" in screen_text(kiosk), "7 left")
        open_feed.set_code(URL, remaining=6)
        open_feed.order("Ada")
        await wait_until(pilot, lambda: "6 drinks left" in screen_text(kiosk), "6 left")


async def test_a_new_code_when_the_window_ends(
    kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock
) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the first code")
        first = open_feed.code
        assert first is not None
        clock.set(first.expires_at)
        next_url = URL.replace("abcdefghijklmnop", "qrstuvwxyz234567")
        open_feed.set_code(next_url, remaining=10)
        await wait_until(pilot, lambda: qr_data(kiosk) == next_url, "the next code")
        assert "10 drinks left" in screen_text(kiosk)


async def test_the_countdown_bar_empties(kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock) -> None:
    code = open_feed.code
    assert code is not None
    clock.set(code.expires_at - timedelta(seconds=240))  # 4 of its 5 minutes left
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code")
        bar = kiosk.screen.query_one(CountdownBar)
        assert abs(bar.fraction - 0.8) < 0.01
        clock.advance(180)
        await wait_until(pilot, lambda: abs(bar.fraction - 0.2) < 0.01, "the bar at a fifth")


async def test_a_used_up_code_is_not_shown(kiosk: KioskApp, feed: LocalFeed) -> None:
    feed.open()
    feed.set_code(URL, remaining=0)
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "This code is used up" in screen_text(kiosk), "used up")
        assert qr_data(kiosk) == ""
        assert "A new code in " in screen_text(kiosk)


async def test_closed_store_shows_closed_and_no_code(kiosk: KioskApp, open_feed: LocalFeed) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code")
        open_feed.close()
        await wait_until(pilot, lambda: "Closed" in screen_text(kiosk), "Closed")
        assert qr_data(kiosk) == ""
        assert "drinks left" not in screen_text(kiosk)
        assert "Making now" not in screen_text(kiosk)  # nothing left to hand out: all screen

        open_feed.open()
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code again")


async def test_closed_with_drinks_still_to_hand_out_keeps_the_board(
    kiosk: KioskApp, open_feed: LocalFeed
) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        open_feed.claim_order(open_feed.order("Ada"))
        open_feed.close()
        await wait_until(pilot, lambda: "Closed" in screen_text(kiosk), "Closed")
        await wait_until(pilot, lambda: "#1   Ada" in making_text(kiosk), "Ada still being made")
        assert "CLOSED" in screen_text(kiosk)
        assert qr_data(kiosk) == ""


async def test_offline_sends_people_to_the_counter(
    kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock
) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code")
        open_feed.set_status(online=False, since=clock.now())
        await wait_until(pilot, lambda: "Order at the counter" in screen_text(kiosk), "the counter")
        assert "OFFLINE since 09:00" in screen_text(kiosk)
        assert qr_data(kiosk) == ""

        open_feed.set_status(online=True)
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code again")
        assert "OFFLINE" not in screen_text(kiosk)


async def test_events_while_online_do_not_ask_for_the_code_again(
    kiosk: KioskApp, open_feed: LocalFeed
) -> None:
    # The sync client's updates carry its status whenever the replica's seq moves, so
    # while online every event says "online": only coming online asks for the code.
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(kiosk) == URL, "the code")
        fetches = open_feed.code_fetches + 1
        ada = open_feed.order("Ada")  # a started order does ask: drinks left may have changed
        await wait_until(pilot, lambda: open_feed.code_fetches == fetches, "the code asked for")
        for _ in range(3):
            open_feed.set_status(online=True)
        open_feed.claim_order(ada)
        await wait_until(pilot, lambda: "#1   Ada" in making_text(kiosk), "Ada being made")
        await pilot.pause()
        assert open_feed.code_fetches == fetches


async def test_no_code_from_the_backend_means_the_counter(kiosk: KioskApp, feed: LocalFeed) -> None:
    feed.open()  # open, online, but the backend gives no code
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "Order at the counter" in screen_text(kiosk), "the counter")
        assert qr_data(kiosk) == ""


async def test_a_full_queue_sends_people_to_the_counter(feed: LocalFeed, clock: FakeClock) -> None:
    from tests.kiosk.local_feed import store_config

    small = LocalFeed(store_config(max_queue=2), clock)
    small.open()
    small.set_code(URL)
    app = KioskApp(small, clock, tick_s=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: qr_data(app) == URL, "the code")
        small.order("Ada")
        small.order("Bob")
        await wait_until(pilot, lambda: "The queue is full" in screen_text(app), "queue full")
        assert qr_data(app) == ""


async def test_the_wait_estimate_follows_the_pace(
    kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock
) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        for name in ("Ada", "Bob"):
            order = open_feed.order(name)
            open_feed.claim_order(order)
            clock.advance(120)
            open_feed.complete_order(order)
        for name in ("Cy", "Di", "Ed"):
            open_feed.order(name)
        # Two minutes a drink, one barista, three waiting: the fourth is ready in 8 minutes.
        await wait_until(
            pilot, lambda: "3 orders waiting · wait about 8 min" in screen_text(kiosk), "the wait"
        )

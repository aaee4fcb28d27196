"""The booth screen shows everything again on every event and every second, but each text
that is shown again unchanged is left alone: updating one lays out the whole screen."""

from __future__ import annotations

from typing import Any

from core.clock import FakeClock
from kiosk.app import KioskApp
from kiosk.widgets.countdown import CountdownBar
from kiosk.widgets.shown_text import ShownText
from tests.kiosk.conftest import URL, wait_until
from tests.kiosk.local_feed import LocalFeed
from tests.kiosk.screen_reading import screen_text


def record_updates(app: KioskApp) -> list[str]:
    """The ids of the texts updated from now on, in order."""
    updated: list[str] = []
    for text in app.screen.query(ShownText):
        original = text.update

        def recording(*args: Any, _text: ShownText = text, _original: Any = original, **kwargs: Any) -> None:
            updated.append(_text.id or "")
            _original(*args, **kwargs)

        text.update = recording  # type: ignore[method-assign]
    return updated


async def test_a_tick_updates_no_text_and_an_order_only_the_queue_line(
    kiosk: KioskApp, open_feed: LocalFeed, clock: FakeClock
) -> None:
    async with kiosk.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: URL.split("?")[0] in screen_text(kiosk).replace("\n", ""), "the code")
        open_feed.order("Ada")
        await wait_until(pilot, lambda: "1 order waiting" in screen_text(kiosk), "one waiting")
        updated = record_updates(kiosk)
        bar = kiosk.screen.query_one(CountdownBar)

        shown = bar.fraction
        clock.advance(1)  # the countdown moves on; within the minute the clock shows
        await wait_until(pilot, lambda: bar.fraction != shown, "a tick")
        assert updated == []

        open_feed.order("Bob")
        await wait_until(pilot, lambda: "2 orders waiting" in screen_text(kiosk), "two waiting")
        assert updated == ["queue-summary"]

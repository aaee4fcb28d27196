"""Ages on the cards move on with the clock: the tick repaints a card's age line, and the
whole card when its age band (the bar's colour) changes."""

from __future__ import annotations

from rich.style import Style

from barista_tui.app import BaristaApp
from core.clock import FakeClock
from tests.barista.support.local_feed import LocalFeed
from tests.barista.support.pilot import screen_text, wait_for


def card_bars(app: BaristaApp, label: str) -> list[Style | None]:
    """The style of the bar on each of the three lines of the card whose top line has `label`."""
    strips = app.screen._compositor.render_strips()
    top = next(y for y, strip in enumerate(strips) if label in strip.text)
    bars = []
    for strip in strips[top : top + 3]:
        bars.append(next(segment.style for segment in strip if segment.text.strip() == "▌"))
    return bars


async def test_ages_move_on_and_a_card_changes_colour_whole(local_feed: LocalFeed, clock: FakeClock) -> None:
    local_feed.customer_order("Ada", "flat-white", {"milk": "oat"})
    clock.advance(90)
    app = BaristaApp(local_feed, barista="Ana", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "1:30" in screen_text(app))
        calm = card_bars(app, "Ada")
        assert len(set(calm)) == 1

        clock.advance(10)  # the age moves on, still calm
        await wait_for(pilot, lambda: "1:40" in screen_text(app), what="the age after a tick")
        assert card_bars(app, "Ada") == calm

        clock.advance(30)  # 2:10: past the warning threshold (120 s), the whole card turns
        await wait_for(pilot, lambda: "2:10" in screen_text(app), what="the age past the threshold")
        warning = card_bars(app, "Ada")
        assert len(set(warning)) == 1 and warning != calm

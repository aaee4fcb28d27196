"""The kiosk app: wires the booth screen to a store feed, and runs it full-screen."""

from __future__ import annotations

import sys

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from core.clock import Clock, SystemClock
from core.collector import resume_collector
from core.config import Settings
from core.sync.feed import StoreFeed
from kiosk.screens.booth import BoothScreen


class KioskApp(App[int]):
    CSS_PATH = "kiosk.tcss"
    TITLE = "Espresso kiosk"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Close the booth screen.", priority=True),
        Binding("ctrl+c", "quit", "Quit", id="quit-interrupt", tooltip="Close the booth screen.", show=False),
    ]

    def __init__(self, feed: StoreFeed, clock: Clock | None = None, tick_s: float = 1.0) -> None:
        super().__init__()
        self.feed = feed
        self.clock = clock or SystemClock()
        self.tick_s = tick_s

    def get_default_screen(self) -> Screen[None]:
        return BoothScreen(self.feed, self.clock, self.tick_s)

    def on_mount(self) -> None:
        self._start_feed()

    @work(group="feed", exit_on_error=False)
    async def _start_feed(self) -> None:
        await self.feed.start(follow=False)
        self.call_after_refresh(self._first_screen_out)

    def _first_screen_out(self) -> None:
        resume_collector()  # start-up is over (see core/collector.py)
        self.feed.follow()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "feed" and event.state is WorkerState.ERROR:
            # No replica (another kiosk holds it, or it is unreadable): nothing to show.
            self.exit(1, return_code=1, message=f"espresso kiosk: cannot start: {event.worker.error}")

    async def on_unmount(self) -> None:
        await self.feed.stop()


def run(settings: Settings, *, server: str | None = None, store: str | None = None) -> int:
    """`espresso kiosk`: the booth screen for one store, until Ctrl+C or Ctrl+Q."""
    from core.sync.preflight import unknown_store
    from kiosk.feed_source import open_feed

    problem = unknown_store(server or settings.client.server, store or settings.client.store)
    if problem is not None:
        print(f"espresso kiosk: {problem}", file=sys.stderr)
        return 2
    app = KioskApp(open_feed(settings, server=server, store=store))
    app.run()
    return app.return_code or 0

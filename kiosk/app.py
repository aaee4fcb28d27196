"""The kiosk app: wires the booth screen to a store feed, and runs it full-screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from core.clock import Clock, SystemClock
from core.collector import resume_collector
from core.config import Settings
from core.sync.feed import StoreFeed
from core.sync.replica_file import ReplicaError, ReplicaInUse
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

    async def on_mount(self) -> None:
        try:
            await self.feed.start(follow=False)
        except (ReplicaError, ReplicaInUse, OSError) as error:
            # No replica (another kiosk holds it, or it is unreadable): nothing to show.
            self.exit(1, return_code=1, message=f"espresso kiosk: cannot start: {error}")
            return
        # The replica is loaded: the booth screen reads it as it mounts, so its first frame
        # shows the queue; the backend is followed from after that frame.
        await self.push_screen(BoothScreen(self.feed, self.clock, self.tick_s))
        self.call_after_refresh(self._first_screen_out)

    def _first_screen_out(self) -> None:
        resume_collector()  # start-up is over (see core/collector.py)
        self.feed.follow()

    async def on_unmount(self) -> None:
        await self.feed.stop()


def run(settings: Settings, *, server: str | None = None, store: str | None = None) -> int:
    """`espresso kiosk`: the booth screen for one store, until Ctrl+C or Ctrl+Q."""
    from core.sync.preflight import said_unknown_store
    from kiosk.feed_source import open_feed

    if said_unknown_store(server or settings.client.server, store or settings.client.store, "espresso kiosk"):
        return 2
    app = KioskApp(open_feed(settings, server=server, store=store))
    app.run()
    return app.return_code or 0

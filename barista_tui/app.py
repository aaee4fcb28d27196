"""The barista terminal: the App wires the feed to the board and does little else."""

from __future__ import annotations

import getpass
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.binding import Binding

from barista_tui.screens.board import BoardScreen
from core.clock import Clock, SystemClock
from core.collector import resume_collector
from core.config import Settings
from core.sync.feed import StoreFeed
from core.sync.replica_file import ReplicaError, ReplicaInUse


class BaristaApp(App[int]):
    CSS_PATH = "barista.tcss"
    TITLE = "Barista"
    ENABLE_COMMAND_PALETTE = False  # every action has its key; ctrl+p would only crowd the footer
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave the terminal", priority=True),
    ]

    def __init__(
        self,
        feed: StoreFeed,
        *,
        barista: str,
        clock: Clock | None = None,
        bell: bool = True,
    ) -> None:
        super().__init__()
        self.feed = feed
        self.barista = barista
        self.clock = clock or SystemClock()
        self.bell_on = bell
        self.startup_error: str | None = None
        self.title = f"{feed.store_info.name} · barista {barista}"

    async def on_mount(self) -> None:
        try:
            await self.feed.start(follow=False)
        except (ReplicaError, ReplicaInUse) as error:
            # Plain words and a non-zero exit, not a traceback: the barista can act on it.
            self.startup_error = f"barista: {error}"
            self.exit(2, return_code=2, message=Text(self.startup_error))
            return
        # The replica is loaded: the board reads it as it mounts, so its first frame is full.
        await self.push_screen(
            BoardScreen(self.feed, barista=self.barista, clock=self.clock, bell=self.bell_on)
        )
        self.call_after_refresh(self._first_screen_out)

    def _first_screen_out(self) -> None:
        resume_collector()  # start-up is over (see core/collector.py)
        self.feed.follow()

    async def on_unmount(self) -> None:
        await self.feed.stop()


def default_name() -> str:
    try:
        return getpass.getuser() or "barista"
    except (KeyError, OSError):
        return "barista"


def build_app(
    settings: Settings,
    *,
    server: str | None = None,
    store: str | None = None,
    name: str | None = None,
    data_dir: Path | None = None,
) -> BaristaApp:
    """The terminal for `settings` ([client] defaults, the barista token), not yet running."""
    from core.sync.client import StoreClient

    barista = (name or "").strip() or default_name()
    store_id = store or settings.client.store
    feed = StoreClient(
        server or settings.client.server,
        store_id,
        settings.auth.barista_token,
        actor=barista,
        device_name=f"barista-{barista}",  # each barista on one machine keeps their own replica
        config=settings.store(store_id),
        data_dir=data_dir,
    )
    return BaristaApp(feed, barista=barista, bell=settings.client.bell)


def run(
    settings: Settings, *, server: str | None = None, store: str | None = None, name: str | None = None
) -> int:
    """`espresso barista`: the terminal against the configured (or given) backend."""
    from core.sync.preflight import said_unknown_store

    if said_unknown_store(
        server or settings.client.server, store or settings.client.store, "espresso barista"
    ):
        return 2
    return build_app(settings, server=server, store=store, name=name).run() or 0

"""The booth screen: the code panel beside the queue board, following one store's feed.

All outside I/O (fetching the code) runs in this screen's workers; the feed's listener only
notes its update in the digest and posts a message, so widgets never touch the network.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from core.clock import Clock
from core.sync.feed import CodeInfo, FeedUpdate, StoreFeed
from kiosk.board_view import board_view
from kiosk.code_layout import DEFAULT_MATRIX_SIZE, CodePlan, plan_code
from kiosk.digest import FeedDigest
from kiosk.messages import CodeFetched, FeedChanged
from kiosk.panel_state import PanelMode, PanelState, panel_state
from kiosk.qr import QrMatrix, qr_matrix
from kiosk.ready import ReadyTracker
from kiosk.widgets.board import QueueBoard
from kiosk.widgets.code_panel import CodePanel
from kiosk.widgets.header import StoreHeader

REFETCH_EXPIRED_S = 2.0  # a code past its window is asked for again at most this often
RETRY_NO_CODE_S = 10.0  # while the backend gives no code although it should, ask this often
DEFAULT_URL_LENGTH = 56


class BoothScreen(Screen[None]):
    def __init__(self, feed: StoreFeed, clock: Clock, tick_s: float = 1.0) -> None:
        super().__init__()
        self.feed = feed
        self.clock = clock
        self.tick_s = tick_s
        config = feed.projection.config
        self.zone = ZoneInfo(config.timezone)
        self.tracker = ReadyTracker(config.ready_display_s)
        self.digest = FeedDigest()
        self.code: CodeInfo | None = None
        self.matrix: QrMatrix | None = None
        self._last_fetch: datetime | None = None
        self._fetched = False  # whether any answer to a code fetch came back yet
        self._online = feed.status.online  # as the last status said
        self._drawn = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="booth"):
            yield CodePanel(id="code-panel")
            yield QueueBoard(id="board")

    def on_mount(self) -> None:
        # Whether or not the feed has started yet, take what it holds now as the start.
        self.feed.add_listener(self._feed_updated)
        self._feed_updated(FeedUpdate(initial=True))
        self.set_interval(self.tick_s, self._tick)
        self._drawn = True

    def on_unmount(self) -> None:
        self.feed.remove_listener(self._feed_updated)

    # -- from the feed --------------------------------------------------------------

    def _feed_updated(self, update: FeedUpdate) -> None:
        self.digest.add(update)
        self.post_message(FeedChanged())

    @on(FeedChanged)
    def _apply_feed_changes(self) -> None:
        news = self.digest.drain()
        now = self.clock.now()
        if news.initial:
            for order in self.feed.projection.orders():
                self.tracker.seen_completed(order, now, live=False)
        for order in news.completed.values():
            self.tracker.seen_completed(order, now, live=not news.initial)
        came_online = False
        if news.status is not None:
            # A status comes with every event (it carries the replica's seq): only a change
            # from offline (or connecting) to online asks for a code, if it has none.
            came_online = news.status.online and not self._online
            self._online = news.status.online
            if not news.status.online:
                self.code = None
        if news.initial or news.store_changed or news.orders_started or (came_online and self.code is None):
            self.fetch_code()
        self.refresh_all()

    # -- the code -------------------------------------------------------------------

    @work(exclusive=True, group="code", exit_on_error=False)
    async def fetch_code(self) -> None:
        self._last_fetch = self.clock.now()
        self.post_message(CodeFetched(await self.feed.fetch_code()))

    @on(CodeFetched)
    def _code_fetched(self, message: CodeFetched) -> None:
        self.code = message.code
        self._fetched = True
        if message.code is not None and (self.matrix is None or self.matrix.data != message.code.url):
            self.matrix = qr_matrix(message.code.url)
        self.refresh_all()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "code" and event.state is WorkerState.ERROR:
            self.log.error("fetching the code failed", event.worker.error)
            self.code = None  # no code we can vouch for: send people to the counter
            self._fetched = True
            self.refresh_all()

    def _due_for_code(self, now: datetime) -> bool:
        since = (now - self._last_fetch).total_seconds() if self._last_fetch else float("inf")
        if self.code is not None:
            return now >= self.code.expires_at and since >= REFETCH_EXPIRED_S
        projection = self.feed.projection
        return projection.is_open and self.feed.status.online and since >= RETRY_NO_CODE_S

    # -- drawing --------------------------------------------------------------------

    def _tick(self) -> None:
        now = self.clock.now()
        if self._due_for_code(now):
            self.fetch_code()
        self.refresh_all(now)

    def on_resize(self, event: Resize) -> None:
        self.refresh_all()

    def panel_state(self) -> PanelState:
        projection = self.feed.projection
        return panel_state(
            is_open=projection.is_open,
            online=self.feed.status.online,
            code=self.code,
            queue_full=projection.open_count >= projection.config.max_queue,
            fetched=self._fetched,
            connecting=self.feed.status.connecting,
        )

    def code_plan(self) -> CodePlan:
        size = self.matrix.size if self.matrix else DEFAULT_MATRIX_SIZE
        url_length = len(self.code.url) if self.code else DEFAULT_URL_LENGTH
        return plan_code(self.size.width, self.size.height, size, url_length)

    def refresh_all(self, now: datetime | None = None) -> None:
        if not self._drawn or self._pruning:  # resizes come before mounting and while closing
            return
        now = now or self.clock.now()
        projection = self.feed.projection
        name = self.feed.store_info.name or projection.config.name
        state, view = self.panel_state(), board_view(projection, self.tracker, now)
        # Closed with nothing left to hand out: the whole screen says so.
        all_closed = state.mode is PanelMode.CLOSED and not (view.making or view.ready or view.waiting)
        self.set_class(all_closed, "-all-closed")
        self.query_one(StoreHeader).show(name, projection.is_open, self.feed.status, now, self.zone)
        self.query_one(CodePanel).show(state, self.matrix, self.code_plan(), now, full_width=all_closed)
        self.query_one(QueueBoard).show(view)

"""The lanes of the board: following the feed, drawing the cards, the cursor.

The feed's updates arrive as messages through the bridge; each touches only the cards of
the orders it changed. `BoardScreen` (board.py) adds the keys and the commands.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen

from barista_tui.all_day import all_day
from barista_tui.board import LANES, Card, Lane, card_of, lane_of
from barista_tui.bridge import FeedBridge
from barista_tui.messages import FeedReloaded, NoticeArrived, OrdersChanged, StatusChanged, StoreChanged
from barista_tui.widgets.all_day_panel import AllDayPanel
from barista_tui.widgets.key_bar import KeyBar
from barista_tui.widgets.order_column import AgeRules, OrderColumn
from barista_tui.widgets.status_line import StatusLine, StatusView
from core.clock import Clock
from core.orders import OrderStatus
from core.stats import store_stats
from core.sync.feed import StoreFeed

NOTICE_TIMEOUT_S = 30  # a lost conflict must be read, not glimpsed
TICK_S = 1.0

LANE_TITLES = {Lane.QUEUE: "Queue", Lane.MAKING: "Making", Lane.READY: "Ready"}
EMPTY_TEXT = {
    Lane.QUEUE: "nothing waiting",
    Lane.MAKING: "nothing on the bar",
    Lane.READY: "nothing to pick up",
}


class LanesScreen(Screen[None]):
    def __init__(self, feed: StoreFeed, *, barista: str, clock: Clock, bell: bool = True) -> None:
        super().__init__(id="board")
        self.feed = feed
        self.barista = barista
        self.clock = clock
        self.bell_on = bell
        self.bridge = FeedBridge(feed, self, me=barista)
        self.active_lane = Lane.QUEUE
        self._lane_of: dict[str, Lane] = {}
        self.columns: dict[Lane, OrderColumn] = {}
        self._read_config()

    def _read_config(self) -> None:
        """The store's settings as the feed knows them now (the backend may refine them)."""
        config = self.feed.projection.config
        self.ready_window_s = config.ready_display_s
        self.zone = config.zone
        self.rules = AgeRules(config.age_warning_s, config.age_late_s)
        for column in self.columns.values():
            column.rules = self.rules

    def compose(self) -> ComposeResult:
        yield StatusLine(self.zone, id="status")
        with Horizontal(id="lanes"):
            now = self.clock.now()
            for lane in LANES:
                column = OrderColumn(lane, LANE_TITLES[lane], EMPTY_TEXT[lane], rules=self.rules, now=now)
                self.columns[lane] = column
                yield column
            yield AllDayPanel(id="all-day")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.bridge.attach()
        self.columns[self.active_lane].set_active(True)
        self.rebuild()
        self.set_interval(TICK_S, self.tick)

    def on_unmount(self) -> None:
        self.bridge.detach()

    # -- the feed ----------------------------------------------------------------------

    def rebuild(self) -> None:
        """Every card from the projection (on start and when the replica is reloaded)."""
        self._read_config()
        self.app.title = f"{self.feed.store_info.name} · barista {self.barista}"
        now = self.clock.now()
        menu = self.feed.projection.menu
        cards: dict[Lane, list[Card]] = {lane: [] for lane in LANES}
        self._lane_of.clear()
        for order in self.feed.projection.orders():
            lane = lane_of(order, now, self.ready_window_s)
            if lane is not None:
                cards[lane].append(card_of(order, lane, menu, self.barista))
                self._lane_of[order.id] = lane
        for lane, column in self.columns.items():
            column.replace_all(cards[lane])
        self.refresh_panels()

    def place(self, order_id: str) -> None:
        """Put one order where it now belongs (or take it off the board)."""
        order = self.feed.projection.order(order_id)
        lane = lane_of(order, self.clock.now(), self.ready_window_s) if order is not None else None
        before = self._lane_of.get(order_id)
        if before is not None and before is not lane:
            self.columns[before].drop(order_id)
        if lane is None or order is None:
            self._lane_of.pop(order_id, None)
            return
        self._lane_of[order_id] = lane
        self.columns[lane].put(card_of(order, lane, self.feed.projection.menu, self.barista))

    def _age_key(self, order_id: str) -> tuple[float, str]:
        order = self.feed.projection.order(order_id)
        moment = order.placed_at or order.created_at if order is not None else None
        return (moment.timestamp() if moment is not None else 0.0, order_id)

    def on_feed_reloaded(self, message: FeedReloaded) -> None:
        self.rebuild()

    def on_orders_changed(self, message: OrdersChanged) -> None:
        # Oldest first, so a lane that was empty puts its cursor on the oldest newcomer.
        for order_id in sorted(message.order_ids, key=self._age_key):
            self.place(order_id)
        if message.arrivals and self.bell_on:
            self.app.bell()
        self.refresh_panels(stats=False)

    def on_status_changed(self, message: StatusChanged) -> None:
        self.refresh_panels(stats=False)

    def on_store_changed(self, message: StoreChanged) -> None:
        self.rebuild()  # the menu names the drinks on every card

    def on_notice_arrived(self, message: NoticeArrived) -> None:
        notice = message.notice
        severity = notice.level if notice.level in ("information", "warning", "error") else "warning"
        self.notify(notice.text, severity=severity, timeout=NOTICE_TIMEOUT_S, markup=False)  # type: ignore[arg-type]

    def tick(self) -> None:
        now = self.clock.now()
        ready = self.columns[Lane.READY]
        for order_id in ready.order_ids[::-1]:  # the oldest are last
            card = ready.card(order_id)
            if card is None or (now - card.since).total_seconds() < self.ready_window_s:
                break
            self.place(order_id)
        for column in self.columns.values():
            column.set_now(now)
        self.refresh_panels()

    def refresh_panels(self, stats: bool = True) -> None:
        status = self.feed.status
        line = self.query_one(StatusLine)
        line.zone = self.zone
        old = line.view
        if stats:  # a walk over the day's orders: once a second, not per event
            today = store_stats(self.feed.projection, self.clock.now())
            served, avg = today.served_today, today.avg_wait_s
            choosing = self.feed.projection.count(OrderStatus.STARTED)
        else:
            served, avg, choosing = old.served_today, old.avg_wait_s, old.choosing
        line.show(
            StatusView(
                online=status.online,
                connecting=status.connecting,
                offline_since=status.offline_since,
                waiting=status.waiting,
                store_open=self.feed.projection.is_open,
                barista=self.barista,
                queued=len(self.columns[Lane.QUEUE]),
                making=len(self.columns[Lane.MAKING]),
                choosing=choosing,
                served_today=served,
                avg_wait_s=avg,
                bell=self.bell_on,
            )
        )
        panel = self.query_one(AllDayPanel)
        if panel.display:
            panel.show(all_day(self.feed.projection.open_orders(), self.feed.projection.menu))

    # -- moving --------------------------------------------------------------------------

    def activate(self, lane: Lane) -> None:
        if lane is not self.active_lane:
            self.columns[self.active_lane].set_active(False)
            self.active_lane = lane
            self.columns[lane].set_active(True)

    def action_move(self, across: int, within: int) -> None:
        column = self.columns[self.active_lane]
        if within:
            column.move_cursor(within)
            return
        index = LANES.index(self.active_lane) + across
        if 0 <= index < len(LANES):
            row = column.row_on_screen()
            self.activate(LANES[index])
            target = self.columns[LANES[index]]
            target.select_index(target.index_at_row(row))

    @on(OrderColumn.CardClicked)
    def _clicked(self, message: OrderColumn.CardClicked) -> None:
        self.activate(message.column.lane)
        message.column.select(message.order_id)

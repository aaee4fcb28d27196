"""An order's timeline: every event of it, with its time, actor and causation.

It follows the feed, so an event arriving while it is open shows at once.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from barista_tui.board import drink_label
from barista_tui.bridge import FeedBridge
from barista_tui.messages import OrdersChanged
from core.events import Event
from core.menu import Menu
from core.sync.feed import StoreFeed


def describe_event(event: Event, menu: Menu) -> str:
    """The event's data in a few words (plain text)."""
    data = event.data
    match event.type:
        case "OrderStarted":
            return str(data.get("customer_name", "")) + (" · walk-up" if data.get("walkup") else "")
        case "OrderPlaced":
            return f"#{data.get('number')} {drink_label(menu, data.get('item'), data.get('options'))}"
        case "OrderClaimed" | "OrderUnclaimed" | "OrderCompleted":
            return f"by {data['barista']}" if data.get("barista") else ""
        case "OrderCancelled" | "OrderTimedOut":
            return str(data.get("reason", ""))
    return ""


def short_id(value: str | None) -> str:
    """The tail of an id: enough to see which events one command caused."""
    if not value:
        return "-"
    return value if len(value) <= 10 else "…" + value[-8:]


class TimelineScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,t", "close", "Close", id="timeline.close", tooltip="Back to the board"),
    ]

    def __init__(self, feed: StoreFeed, order_id: str, title: Content, zone: ZoneInfo) -> None:
        super().__init__(classes="dialog-screen")
        self.feed = feed
        self.order_id = order_id
        self.heading = title
        self.zone = zone
        self.bridge = FeedBridge(feed, self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static(self.heading, classes="dialog-title")
            yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.add_columns("Time", "Event", "Actor", "Caused by", "Details")
        self._show()
        self.bridge.attach()
        table.focus()

    def on_unmount(self) -> None:
        self.bridge.detach()

    def on_orders_changed(self, message: OrdersChanged) -> None:
        if self.order_id in message.order_ids:
            self._show()

    def _show(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.clear()
        menu = self.feed.projection.menu
        for event in self.feed.timeline(self.order_id):
            table.add_row(
                Text(f"{event.time.astimezone(self.zone):%H:%M:%S}"),
                Text(event.type.removeprefix("Order")),
                Text(event.actor),  # Text, not str: never read as markup
                Text(short_id(event.causation_id)),
                Text(describe_event(event, menu)),
                key=event.id,
            )

    def action_close(self) -> None:
        self.dismiss(None)

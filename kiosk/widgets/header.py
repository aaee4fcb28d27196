"""The top line of the board: the store's name, open or closed, OFFLINE since when, the time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from core.sync.feed import SyncStatus


def link_text(status: SyncStatus, zone: ZoneInfo) -> str:
    """The badge for a kiosk that is not online: still connecting, or offline since when."""
    if status.connecting:
        return "CONNECTING"
    if status.offline_since is None:
        return "OFFLINE"
    return f"OFFLINE since {status.offline_since.astimezone(zone):%H:%M}"


class StoreHeader(Horizontal):
    def compose(self) -> ComposeResult:
        yield Label(id="store-name", markup=False)
        yield Label(id="link-badge", markup=False)
        yield Label(id="open-badge", markup=False)
        yield Label(id="clock", markup=False)

    def show(self, name: str, is_open: bool, status: SyncStatus, now: datetime, zone: ZoneInfo) -> None:
        self.query_one("#store-name", Label).update(Text(name))
        badge = self.query_one("#open-badge", Label)
        badge.update(Text("OPEN" if is_open else "CLOSED"))
        badge.set_class(is_open, "-open")
        link = self.query_one("#link-badge", Label)
        link.display = not status.online
        link.set_class(status.connecting, "-connecting")
        link.update(Text(link_text(status, zone)))
        self.query_one("#clock", Label).update(Text(f"{now.astimezone(zone):%H:%M}"))

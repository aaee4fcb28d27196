"""The top line of the board: the store's name, open or closed, OFFLINE since when, the time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Horizontal

from core.sync.feed import SyncStatus
from kiosk.widgets.shown_text import ShownText


def link_text(status: SyncStatus, zone: ZoneInfo) -> str:
    """The badge for a kiosk that is not online: still connecting, or offline since when."""
    if status.connecting:
        return "CONNECTING"
    if status.offline_since is None:
        return "OFFLINE"
    return f"OFFLINE since {status.offline_since.astimezone(zone):%H:%M}"


class StoreHeader(Horizontal):
    def compose(self) -> ComposeResult:
        yield ShownText(id="store-name")
        yield ShownText(id="link-badge")
        yield ShownText(id="open-badge")
        yield ShownText(id="clock")

    def show(self, name: str, is_open: bool, status: SyncStatus, now: datetime, zone: ZoneInfo) -> None:
        self.query_one("#store-name", ShownText).show(name)
        badge = self.query_one("#open-badge", ShownText)
        badge.show("OPEN" if is_open else "CLOSED")
        badge.set_class(is_open, "-open")
        link = self.query_one("#link-badge", ShownText)
        link.display = not status.online
        link.set_class(status.connecting, "-connecting")
        link.show(link_text(status, zone))
        self.query_one("#clock", ShownText).show(f"{now.astimezone(zone):%H:%M}")

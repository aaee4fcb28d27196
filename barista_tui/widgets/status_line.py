"""The status line: online or not (since when, commands waiting), the store, today's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from barista_tui.board import format_age


@dataclass(frozen=True, slots=True)
class StatusView:
    online: bool = False
    connecting: bool = False
    offline_since: datetime | None = None
    waiting: int = 0
    store_open: bool = False
    barista: str = ""
    queued: int = 0
    making: int = 0
    choosing: int = 0
    served_today: int = 0
    avg_wait_s: float | None = None
    bell: bool = True


class StatusLine(Widget):
    COMPONENT_CLASSES = {
        "status-line--online",
        "status-line--offline",
        "status-line--connecting",
        "status-line--open",
        "status-line--closed",
        "status-line--label",
    }

    def __init__(self, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.view = StatusView()

    def show(self, view: StatusView) -> None:
        if view != self.view:
            self.view = view
            self.refresh()

    def render(self) -> Content:
        view = self.view
        style = self.get_visual_style
        if view.online:
            badge = Content.styled(" ● ONLINE ", style("status-line--online", partial=True))
        elif view.connecting:
            badge = Content.styled(" … CONNECTING ", style("status-line--connecting", partial=True))
        else:
            since = f" since {view.offline_since.astimezone(self.zone):%H:%M}" if view.offline_since else ""
            badge = Content.styled(f" ▲ OFFLINE{since} ", style("status-line--offline", partial=True))
        if view.waiting:
            badge = badge + f" {view.waiting} waiting to sync"
        shop = (
            Content.styled(" OPEN ", style("status-line--open", partial=True))
            if view.store_open
            else Content.styled(" CLOSED ", style("status-line--closed", partial=True))
        )
        label = style("status-line--label", partial=True)
        wait = format_age(view.avg_wait_s) if view.avg_wait_s is not None else "-"
        parts: list[Content | str | tuple[str, str | Style]] = [
            badge,
            " ",
            shop,
            "  ",
            ("Queue ", label),
            str(view.queued),
            ("  Making ", label),
            str(view.making),
        ]
        if view.choosing:
            parts += [("  Choosing ", label), str(view.choosing)]
        parts += [
            ("  Served ", label),
            str(view.served_today),
            ("  Avg wait ", label),
            wait,
            ("  Bell ", label),
            "on" if view.bell else "off",
            "  ",
            view.barista,  # plain text, never markup
        ]
        return Content.assemble(*parts)

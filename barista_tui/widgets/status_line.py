"""The status line: online or not (since when, commands waiting), the store, today's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content
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
            badge = Content.styled(" ● ONLINE ", style("status-line--online"))
        elif view.connecting:
            badge = Content.styled(" … CONNECTING ", style("status-line--connecting"))
        else:
            since = f" since {view.offline_since.astimezone(self.zone):%H:%M}" if view.offline_since else ""
            badge = Content.styled(f" ▲ OFFLINE{since} ", style("status-line--offline"))
        if view.waiting:
            badge = badge + f" {view.waiting} waiting to sync"
        shop = (
            Content.styled(" OPEN ", style("status-line--open", partial=True))
            if view.store_open
            else Content.styled(" CLOSED ", style("status-line--closed"))
        )
        label = style("status-line--label", partial=True)
        wait = format_age(view.avg_wait_s) if view.avg_wait_s is not None else "-"

        def stat(name: str, value: object) -> Content:
            return Content.assemble((f"{name} ", label), str(value))

        # (priority, item): on a narrow terminal the least needed go first.
        items: list[tuple[int, Content]] = [
            (0, badge),
            (1, shop),
            (2, stat("Queue", view.queued)),
            (3, stat("Making", view.making)),
        ]
        if view.choosing:
            items.append((7, stat("Choosing", view.choosing)))
        items += [(4, stat("Served", view.served_today)), (5, stat("Avg wait", wait))]
        if not view.bell:
            items.append((6, Content.styled("Bell off", label)))
        items.append((8, Content(view.barista)))  # plain text, never markup
        width = self.size.width or 80
        while len(items) > 1 and sum(item.cell_length + 2 for _, item in items) > width:
            items.remove(max(items, key=lambda pair: pair[0]))
        return Content("  ").join(item for _, item in items)

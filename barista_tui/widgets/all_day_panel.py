"""The all-day panel: what is waiting and what is being made, grouped by drink."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from barista_tui.all_day import TIMES, AllDay, DrinkCount


class AllDayPanel(Widget):
    COMPONENT_CLASSES = {"all-day-panel--heading", "all-day-panel--count"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "All day"
        self.totals = AllDay(waiting=(), making=())

    def show(self, totals: AllDay) -> None:
        if totals != self.totals:
            self.totals = totals
            self.refresh(layout=True)

    def render(self) -> Content:
        heading = self.get_visual_style("all-day-panel--heading", partial=True)
        count = self.get_visual_style("all-day-panel--count", partial=True)
        lines: list[Content] = []

        def section(title: str, total: int, rows: tuple[DrinkCount, ...]) -> None:
            lines.append(Content.styled(f"{title} {total}", heading))
            if not rows:
                lines.append(Content("  nothing"))
            for row in rows:
                lines.append(Content.assemble((f"{row.count:>3} {TIMES} ", count), row.label))

        section("Waiting", self.totals.waiting_total, self.totals.waiting)
        lines.append(Content(""))
        section("Making", self.totals.making_total, self.totals.making)
        return Content("\n").join(lines)

"""A bar that empties as the current code's window runs out."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BAR = "━"


class CountdownBar(Widget):
    COMPONENT_CLASSES = {"countdown--left", "countdown--gone"}

    fraction: reactive[float] = reactive(1.0)

    def render(self) -> Text:
        width = self.size.width
        left = round(max(0.0, min(1.0, self.fraction)) * width)
        return Text.assemble(
            (BAR * left, self.get_component_rich_style("countdown--left")),
            (BAR * (width - left), self.get_component_rich_style("countdown--gone")),
        )

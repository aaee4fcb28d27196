"""Plain text that is laid out and drawn again only when it changes.

The booth screen shows everything again on every event and every second, and most of its
text stays the same. `Label.update` lays out the whole screen each time it is called (the
kiosk's largest cost per event after drawing), so an unchanged text is left alone, and a
widget whose size the stylesheet fixes (`fixed_size`) is redrawn without a layout.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Label


class ShownText(Label):
    def __init__(
        self, *, fixed_size: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self.fixed_size = fixed_size
        self.text = ""

    def show(self, text: str) -> None:
        if text == self.text:
            return
        self.text = text
        self.update(Text(text), layout=not self.fixed_size)

"""A QR code drawn in half-block characters, dark on light, sized to its drawing."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from kiosk.qr import QrMatrix, half_block_lines


class QrCode(Widget):
    """Draws a `QrMatrix` at an integer scale with its quiet zone. Colours come from CSS:
    `color` for the dark modules, `background` for the light ones."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._drawn: tuple[QrMatrix, int, int] | None = None  # what `_lines` were made from
        self._lines: list[str] = []
        self._style = Style()

    @property
    def data(self) -> str:
        """What the code shown says (the URL); empty when none is."""
        return self._drawn[0].data if self._drawn is not None else ""

    def show(self, matrix: QrMatrix, scale: int, quiet: int) -> None:
        # Asked on every event and every second: the lines are made again only when the
        # code or its size changed.
        if self._drawn != (matrix, scale, quiet):
            self._drawn = (matrix, scale, quiet)
            self._lines = half_block_lines(matrix, scale, quiet)
            self.refresh(layout=True)

    def clear(self) -> None:
        if self._drawn is not None:
            self._drawn, self._lines = None, []
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self._lines[0]) if self._lines else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style once per drawing: `rich_style` walks every ancestor's styles, and asked
        # for each of the ~40 lines it was half the cost of the kiosk's first frame of the code.
        self._style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        style = self._style
        width = self.size.width
        if y >= len(self._lines):
            return Strip.blank(width, style)
        return Strip([Segment(self._lines[y], style)]).crop_extend(0, width, style)

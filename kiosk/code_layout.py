"""How big to draw the QR code on a screen of a given size.

The code panel takes the space the code needs and the queue board gets the rest. Bigger
modules scan from further away, so we pick the largest scale that fits, then the widest
quiet zone (4 modules is the standard's; 2 still scans from a screen, whose own light
panel colour continues it).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.qr import drawn_size

MIN_BOARD_WIDTH = 34  # the queue board needs this much to stay readable
PANEL_PADDING = 1  # columns of panel colour either side of the code
TEXT_ROWS = 2  # under the code: "N drinks left on this code" and the countdown bar
QUIET_ZONES = (4, 3, 2)
MAX_SCALE = 6
DEFAULT_MATRIX_SIZE = 33  # version 4: what a usual order URL needs


@dataclass(frozen=True, slots=True)
class CodePlan:
    scale: int
    quiet: int
    code_width: int  # columns of the drawn code
    code_height: int  # rows of the drawn code
    url_rows: int  # rows the URL text takes under the code (0: no room for it)

    @property
    def panel_width(self) -> int:
        return self.code_width + 2 * PANEL_PADDING

    @property
    def text_width(self) -> int:
        return self.code_width


def url_rows(url_length: int, width: int) -> int:
    return -(-url_length // width) if url_length else 0


def plan_code(width: int, height: int, matrix_size: int, url_length: int) -> CodePlan:
    """The largest code (then the widest quiet zone) that fits beside a usable board."""
    for show_url in (True, False):
        for scale in range(MAX_SCALE, 0, -1):
            for quiet in QUIET_ZONES:
                columns, rows = drawn_size(matrix_size, scale, quiet)
                text = url_rows(url_length, columns) if show_url else 0
                fits_across = columns + 2 * PANEL_PADDING + MIN_BOARD_WIDTH <= width
                if fits_across and rows + text + TEXT_ROWS <= height:
                    return CodePlan(scale, quiet, columns, rows, text)
    # Too small a screen for a scannable code: draw the smallest one and let it crop.
    columns, rows = drawn_size(matrix_size, 1, QUIET_ZONES[-1])
    return CodePlan(1, QUIET_ZONES[-1], columns, rows, 0)

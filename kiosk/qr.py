"""QR codes for a terminal: the module matrix, and its drawing in half-block characters.

A terminal cell is about twice as tall as it is wide, so one cell holds two QR modules
stacked (upper and lower half) and each module is one column wide: the modules come out
square. Dark modules are drawn in the foreground colour on a light background, so the code
is dark-on-light as phone cameras expect.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qrcode import QRCode


def _qrcode_without_pillow() -> ModuleType:
    """qrcode, imported without Pillow when Pillow is not loaded yet. qrcode's package imports
    its Pillow module drawers whenever Pillow is installed (it is, with the test extras), ~20
    ms and ~3.5 MiB on the kiosk's start for images we never make: we draw the matrix
    ourselves. qrcode skips them when Pillow fails to import, so it is made to, just for this."""
    if "PIL" in sys.modules:
        import qrcode

        return qrcode
    sys.modules["PIL"] = None  # type: ignore[assignment]  # `import PIL` raises ImportError
    try:
        import qrcode

        return qrcode
    finally:
        del sys.modules["PIL"]


qrcode = _qrcode_without_pillow()

from qrcode.constants import (  # noqa: E402  (after the import above)
    ERROR_CORRECT_H,
    ERROR_CORRECT_L,
    ERROR_CORRECT_M,
    ERROR_CORRECT_Q,
)

# Strongest first: a screen is clean and flat, so we take more error correction only when it
# does not make the code larger (bigger modules scan from further away).
_LEVELS = ((ERROR_CORRECT_H, "H"), (ERROR_CORRECT_Q, "Q"), (ERROR_CORRECT_M, "M"), (ERROR_CORRECT_L, "L"))

# (upper dark, lower dark) -> character drawn with a dark foreground on a light background.
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """The modules of a QR symbol without its quiet zone; True is dark."""

    data: str
    rows: tuple[tuple[bool, ...], ...]
    version: int
    error_correction: str

    @property
    def size(self) -> int:
        return len(self.rows)


def _code(data: str, level: int, version: int | None = None) -> QRCode:
    code = qrcode.QRCode(version=version, error_correction=level, border=0)
    code.add_data(data)
    return code


def qr_matrix(data: str) -> QrMatrix:
    """The smallest symbol for `data`, with the strongest error correction at that size."""
    # Sizes are worked out without drawing (best_fit); only the chosen symbol is made, since
    # making one (trying all eight masks) is what costs: a fifth of the kiosk's start-up.
    smallest = _code(data, ERROR_CORRECT_L).best_fit()
    for level, name in _LEVELS:
        if _code(data, level).best_fit() == smallest:
            code = _code(data, level, smallest)
            code.make(fit=False)
            rows = tuple(tuple(bool(m) for m in row) for row in code.get_matrix())
            return QrMatrix(data, rows, smallest, name)
    raise AssertionError("level L always fits its own version")


def pixel_grid(matrix: QrMatrix, scale: int, quiet: int) -> list[list[bool]]:
    """The symbol with `quiet` light modules around it, each module `scale` pixels square."""
    side = matrix.size + 2 * quiet
    padded = [[False] * side for _ in range(side)]
    for y, row in enumerate(matrix.rows):
        for x, dark in enumerate(row):
            padded[y + quiet][x + quiet] = dark
    return [[dark for dark in row for _ in range(scale)] for row in padded for _ in range(scale)]


def half_block_lines(matrix: QrMatrix, scale: int = 1, quiet: int = 4) -> list[str]:
    """The code as text lines: each character is one pixel wide and two pixels tall."""
    pixels = pixel_grid(matrix, scale, quiet)
    if len(pixels) % 2:
        pixels.append([False] * len(pixels[0]))  # an odd last row gets a light lower half
    return [
        "".join(_HALF_BLOCKS[upper, lower] for upper, lower in zip(top, bottom, strict=True))
        for top, bottom in zip(pixels[::2], pixels[1::2], strict=True)
    ]


def drawn_size(matrix_size: int, scale: int, quiet: int) -> tuple[int, int]:
    """(columns, rows) the drawing takes."""
    pixels = (matrix_size + 2 * quiet) * scale
    return pixels, (pixels + 1) // 2

"""Reading the kiosk's screen the way a person (or a phone camera) would."""

from __future__ import annotations

from PIL import Image
from rich.color import Color
from rich.segment import Segment
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

DARK_UPPER = frozenset("▀█")
DARK_LOWER = frozenset("▄█")


def screen_strips(app: App[object]) -> list[Strip]:
    """What the terminal shows now: the screen's composed lines (each a list of segments)."""
    return app.screen._compositor.render_strips()


def screen_text(app: App[object]) -> str:
    return "\n".join(strip.text for strip in screen_strips(app))


def region_text(app: App[object], widget: Widget) -> str:
    region = widget.region
    lines = screen_strips(app)[region.y : region.bottom]
    return "\n".join(line.crop(region.x, region.right).text for line in lines)


def _cells(strip: Strip) -> list[tuple[str, Segment]]:
    cells: list[tuple[str, Segment]] = []
    for segment in strip:
        cells.extend((char, segment) for char in segment.text)
    return cells


def _luminance(color: Color | None, default: int) -> int:
    if color is None:
        return default
    r, g, b = color.get_truecolor()
    return round(0.299 * r + 0.587 * g + 0.114 * b)


def rasterise(app: App[object], region: Region, zoom: int = 4) -> Image.Image:
    """The cells in `region` as a grey image: each cell is one pixel wide and two tall (its
    upper and lower half), coloured as the terminal would draw the half-block characters."""
    strips = screen_strips(app)[region.y : region.bottom]
    image = Image.new("L", (region.width, region.height * 2), 255)
    for row, strip in enumerate(strips):
        for column, (char, segment) in enumerate(_cells(strip.crop(region.x, region.right))):
            style = segment.style
            ink = _luminance(style.color if style else None, 255)
            paper = _luminance(style.bgcolor if style else None, 0)
            image.putpixel((column, 2 * row), ink if char in DARK_UPPER else paper)
            image.putpixel((column, 2 * row + 1), ink if char in DARK_LOWER else paper)
    return image.resize((image.width * zoom, image.height * zoom), Image.Resampling.NEAREST)


def decode_qr(image: Image.Image) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]

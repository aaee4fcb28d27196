"""The QR code as drawn on the screen decodes to exactly the order URL, small screen or big."""

from __future__ import annotations

import pytest

from core.clock import FakeClock
from kiosk.app import KioskApp
from kiosk.qr import qr_matrix
from kiosk.widgets.qr_code import QrCode
from tests.kiosk.conftest import URL, wait_until
from tests.kiosk.local_feed import LocalFeed
from tests.kiosk.screen_reading import decode_qr, rasterise

LONG_URL = "https://espresso.conference-venue.example.org/order/booth-hall-b?code=abcdefghijklmnop"
SIZES = [(80, 24), (100, 30), (160, 45), (240, 67)]


async def drawn_code(feed: LocalFeed, clock: FakeClock, url: str, size: tuple[int, int]) -> list[str]:
    feed.open()
    feed.set_code(url)
    app = KioskApp(feed, clock, tick_s=0.05)
    async with app.run_test(size=size) as pilot:
        qr = app.screen.query_one(QrCode)
        await wait_until(pilot, lambda: qr.data == url and qr.region.height > 0, "the code")
        await pilot.pause()
        region = qr.region
        assert region.right <= size[0] and region.bottom <= size[1], "the code is cut off"
        return decode_qr(rasterise(app, region))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_drawn_code_decodes_to_the_url(
    feed: LocalFeed, clock: FakeClock, size: tuple[int, int]
) -> None:
    assert await drawn_code(feed, clock, URL, size) == [URL]


@pytest.mark.parametrize("size", [(80, 24), (240, 67)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_long_public_url_still_decodes(
    feed: LocalFeed, clock: FakeClock, size: tuple[int, int]
) -> None:
    assert await drawn_code(feed, clock, LONG_URL, size) == [LONG_URL]


async def test_the_code_grows_with_the_screen(feed: LocalFeed, clock: FakeClock) -> None:
    feed.open()
    feed.set_code(URL)
    modules = qr_matrix(URL).size
    small, big = [await code_width(feed, clock, size) for size in ((80, 24), (240, 67))]
    assert small >= modules + 2 * 2  # one column a module, at least two modules of quiet zone
    assert big == 3 * (modules + 2 * 4)  # three columns a module, the full quiet zone


async def code_width(feed: LocalFeed, clock: FakeClock, size: tuple[int, int]) -> int:
    app = KioskApp(feed, clock, tick_s=0.05)
    async with app.run_test(size=size) as pilot:
        qr = app.screen.query_one(QrCode)
        await wait_until(pilot, lambda: qr.region.width > 0, "the code")
        return qr.region.width

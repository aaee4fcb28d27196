"""Snapshots of the booth screen at the smallest and the largest screen it is made for.

The clock is fake and nothing on the screen animates, so each snapshot is the same every run.
Update them on purpose: `pytest tests/kiosk/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from core.clock import FakeClock
from kiosk.app import KioskApp
from kiosk.widgets.board import ReadyBoard, ReadyNumber
from kiosk.widgets.qr_code import QrCode
from tests.kiosk.conftest import URL, wait_until
from tests.kiosk.local_feed import LocalFeed, store_config

SIZES = [(80, 24), (240, 67)]


def busy_stall(clock: FakeClock) -> LocalFeed:
    feed = LocalFeed(store_config(ready_display_s=600), clock)
    feed.open()
    for name in ("Ada Lovelace", "[b]Bob[/b]", "Grace", "Linus", "Margaret"):
        order = feed.order(name)
        feed.claim_order(order)
        clock.advance(90)
        feed.complete_order(order)
    for name in ("Ken", "Barbara"):
        feed.claim_order(feed.order(name))
    for name in ("Edsger", "Frances", "Tony"):
        feed.order(name)
    clock.advance(30)
    code = feed.set_code(URL, remaining=7)
    clock.set(code.expires_at - timedelta(seconds=100))  # a third of the code's time left
    return feed


def has(app: KioskApp, selector: str) -> bool:
    return bool(app.screen.query(selector))


async def settled(pilot: Pilot[Any], app: KioskApp, ready: int) -> None:
    await wait_until(pilot, lambda: len(app.screen.query(ReadyNumber)) == ready, "the ready board")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_busy_stall(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    clock = FakeClock()
    feed = busy_stall(clock)
    app = KioskApp(feed, clock, tick_s=0.05)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(
            pilot, lambda: has(app, "QrCode") and app.screen.query_one(QrCode).data == URL, "code"
        )
        feed.complete_order(feed.order("Alan"))  # a new arrival, highlighted
        await settled(pilot, app, ready=min(6, app.screen.query_one(ReadyBoard).capacity()))

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_offline(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    clock = FakeClock()
    feed = busy_stall(clock)
    app = KioskApp(feed, clock, tick_s=0.05)

    async def run_before(pilot: Pilot[Any]) -> None:
        feed.set_status(online=False, since=clock.now())
        await wait_until(pilot, lambda: has(app, "CodePanel.-counter"), "counter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_closed(snap_compare: Callable[..., bool]) -> None:
    clock = FakeClock()
    feed = LocalFeed(store_config(), clock)
    app = KioskApp(feed, clock, tick_s=0.05)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: has(app, "CodePanel.-closed"), "closed")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

"""Fixtures for the kiosk's screen tests: a fake clock, a local feed, and a way to wait."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from core.clock import FakeClock
from kiosk.app import KioskApp
from tests.kiosk.local_feed import LocalFeed, store_config

URL = "http://127.0.0.1:8000/order/booth?code=abcdefghijklmnop"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def feed(clock: FakeClock) -> LocalFeed:
    return LocalFeed(store_config(ready_display_s=120), clock)


@pytest.fixture
def open_feed(feed: LocalFeed) -> LocalFeed:
    """A store that is open and has a code."""
    feed.open()
    feed.set_code(URL, remaining=7)
    return feed


@pytest.fixture
def kiosk(feed: LocalFeed, clock: FakeClock) -> KioskApp:
    # A fast tick, so a test that moves the fake clock sees the screen follow at once.
    return KioskApp(feed, clock, tick_s=0.05)


async def wait_until(
    pilot: Pilot[object], condition: Callable[[], object], what: str, timeout: float = 10
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)

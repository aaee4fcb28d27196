"""How the booth screen copes with a burst: 2,000 orders (8,000 events) published at once,
as a catch-up after a long outage delivers them, then the cost of one full redraw.

    .venv/bin/python benchmarks/kiosk_refresh.py [--small]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import FakeClock
from kiosk.app import KioskApp
from kiosk.screens.booth import BoothScreen
from kiosk.widgets.board import ReadyNumber
from tests.kiosk.local_feed import LocalFeed, store_config

ORDERS = 2000
REDRAWS = 50


async def main(orders: int) -> None:
    clock = FakeClock()
    feed = LocalFeed(store_config(max_queue=orders + 1, ready_display_s=600), clock)
    feed.open()
    feed.set_code("http://127.0.0.1:8000/order/booth?code=abcdefghijklmnop")
    app = KioskApp(feed, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoothScreen)
        await pilot.pause(0.2)
        redraws = 0
        redraw = screen.refresh_all

        def counted(now: object = None) -> None:
            nonlocal redraws
            redraws += 1
            redraw()

        screen.refresh_all = counted  # type: ignore[method-assign]
        started = time.perf_counter()
        for i in range(orders):
            order = feed.order(f"Guest{i}")
            feed.claim_order(order)
            feed.complete_order(order)
        published = time.perf_counter() - started
        while str(orders) not in [n.value for n in screen.query(ReadyNumber)]:
            await pilot.pause(0.01)
        shown = time.perf_counter() - started
        print(f"{orders} orders ({orders * 4} events) published in {published:.2f} s (the feed's own work)")
        print(f"the last one on screen after {shown:.2f} s, in {redraws} redraws (updates merged)")
        started = time.perf_counter()
        for _ in range(REDRAWS):
            redraw()
        each_ms = (time.perf_counter() - started) / REDRAWS * 1000
        print(f"one full redraw with {orders} orders known: {each_ms:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    asyncio.run(main(20 if parser.parse_args().small else ORDERS))

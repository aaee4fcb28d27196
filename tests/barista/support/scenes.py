"""A deterministic stall for screenshots: orders of every age and kind, made by the real
decider with fixed ids and times, then served to the app by the real StoreClient from its
replica (the backend out of reach, so nothing from a real clock shows)."""

from __future__ import annotations

from pathlib import Path

from barista_tui.app import BaristaApp
from core import commands as c
from core.clock import FakeClock
from core.config import StoreConfig
from core.sync.client import StoreClient
from core.sync.replica import Replica
from tests.barista.support.backend import FAST_LINK
from tests.barista.support.local_feed import LocalFeed


def busy_stall(config: StoreConfig, clock: FakeClock) -> LocalFeed:
    """Queue: late, warning, calm and a walk-up; Making: Bob's and Ana's; Ready: one."""
    feed = LocalFeed(config, clock)
    feed.customer_order("Ada Lovelace", "flat-white", {"milk": "oat"})
    clock.advance(160)
    feed.customer_order("Grace", "cappuccino", {"milk": "soy", "size": "large"})
    clock.advance(150)
    feed.customer_order("Linus", "espresso", {"shots": "double"})
    clock.advance(40)
    feed.run(c.WalkUp("[b]Zoe[/b]", "latte", {}), number=True)
    mia = feed.customer_order("Mia", "americano")
    sam = feed.customer_order("Sam", "flat-white", {})
    kim = feed.customer_order("Kim", "espresso", {})
    feed.run(c.ClaimOrder(mia, "Bob"), actor="Bob")
    feed.run(c.ClaimOrder(sam, "Ana"))
    feed.run(c.CompleteOrder(kim, "Ana"))
    clock.advance(25)
    return feed


def offline_app(
    feed: LocalFeed, config: StoreConfig, clock: FakeClock, tmp_path: Path, dead_server: str
) -> BaristaApp:
    """The app on a StoreClient whose replica holds `feed`'s events, with no backend."""
    path = tmp_path / "replica.sqlite3"
    replica = Replica(path, server=dead_server, store="booth")
    replica.add_events(feed.log)
    replica.close()
    client = StoreClient(
        dead_server,
        "booth",
        "token",
        actor="Ana",
        replica_path=path,
        clock=clock,
        config=config,
        link=FAST_LINK,
    )
    return BaristaApp(client, barista="Ana", clock=clock)

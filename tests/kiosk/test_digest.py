"""The digest keeps what every update said, however many updates one refresh merges."""

from __future__ import annotations

from core import commands as c
from core.clock import FakeClock
from core.sync.feed import FeedUpdate, SyncStatus
from kiosk.digest import FeedDigest
from tests.kiosk.local_feed import LocalFeed, store_config


def test_a_burst_of_updates_drains_as_one() -> None:
    feed = LocalFeed(store_config(), FakeClock())
    digest = FeedDigest()
    feed.add_listener(digest.add)
    feed.open()
    orders = []
    for i in range(30):
        orders.append(feed.order(f"Guest{i}"))
        feed.complete_order(orders[-1])
    feed.set_status(online=False)

    news = digest.drain()
    assert news.store_changed and news.orders_started
    assert sorted(news.completed) == sorted(o.id for o in orders)
    assert news.status is not None and not news.status.online
    assert not news.initial

    empty = digest.drain()
    assert (empty.store_changed, empty.orders_started, empty.completed, empty.status) == (
        False,
        False,
        {},
        None,
    )


def test_a_claim_alone_asks_for_no_new_code() -> None:
    feed = LocalFeed(store_config(), FakeClock())
    feed.open()
    order = feed.order("Ada")
    digest = FeedDigest()
    feed.add_listener(digest.add)
    feed.record(c.ClaimOrder(order.id, "Ana"))
    digest.add(FeedUpdate(initial=True, status=SyncStatus(online=True)))
    news = digest.drain()
    assert news.initial and not news.orders_started and not news.completed

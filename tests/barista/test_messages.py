"""Feed messages in a burst merge, so a rush redraws once rather than once per event."""

from __future__ import annotations

from barista_tui.messages import OrdersChanged, StatusChanged, StoreChanged
from core.sync.feed import SyncStatus


def test_order_changes_merge_into_the_newer_message() -> None:
    older, newer = OrdersChanged({"a", "b"}, arrivals=2), OrdersChanged({"b", "c"}, arrivals=1)
    assert older.can_replace(newer)
    assert newer.order_ids == {"a", "b", "c"} and newer.arrivals == 3


def test_state_messages_keep_only_the_latest_and_never_swallow_others() -> None:
    assert StatusChanged(SyncStatus(online=False)).can_replace(StatusChanged(SyncStatus(online=True)))
    assert StoreChanged().can_replace(StoreChanged())
    assert not OrdersChanged({"a"}).can_replace(StoreChanged())
    assert not StatusChanged(SyncStatus(online=True)).can_replace(OrdersChanged({"a"}))

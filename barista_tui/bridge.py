"""The one bridge from the feed into the UI: a feed listener that posts messages.

A screen attaches a bridge when it mounts and detaches it when it goes; the feed calls
listeners on the app's event loop, so posting from here is safe.
"""

from __future__ import annotations

from textual.message_pump import MessagePump

from barista_tui.messages import FeedReloaded, NoticeArrived, OrdersChanged, StatusChanged, StoreChanged
from core.orders import OrderStatus
from core.projection import OrderChange
from core.sync.feed import FeedUpdate, StoreFeed


def is_arrival(change: OrderChange, me: str | None = None) -> bool:
    """A newly placed order (a drink chosen, or a walk-up): not merely started, and not the
    walk-up `me` just typed in (no need to ring for that)."""
    before = change.before.status if change.before is not None else None
    if change.after.status is not OrderStatus.QUEUED or before not in (None, OrderStatus.STARTED):
        return False
    return not (change.after.walkup and me is not None and change.event.actor == me)


class FeedBridge:
    def __init__(self, feed: StoreFeed, target: MessagePump, me: str | None = None) -> None:
        self.feed = feed
        self.target = target
        self.me = me

    def attach(self) -> None:
        self.feed.add_listener(self.heard)

    def detach(self) -> None:
        self.feed.remove_listener(self.heard)

    def heard(self, update: FeedUpdate) -> None:
        post = self.target.post_message
        if update.initial:
            post(FeedReloaded())
        elif update.changes:
            ids = {change.after.id for change in update.changes}
            post(OrdersChanged(ids, sum(1 for change in update.changes if is_arrival(change, self.me))))
        if update.status is not None:
            post(StatusChanged(update.status))
        if update.store_changed and not update.initial:  # a reload redraws everything anyway
            post(StoreChanged())
        for notice in update.notices:
            post(NoticeArrived(notice))

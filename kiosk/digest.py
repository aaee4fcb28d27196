"""The feed's updates, gathered between two refreshes of the screen.

Updates can come much faster than a screen refreshes (a catch-up after a reconnect delivers
thousands of events). The listener adds each update here and posts one `FeedChanged`; the
queue merges those (`can_replace`), and the screen drains this digest once per refresh, so
nothing an update said is lost however many messages were merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.orders import OrderState, OrderStatus
from core.sync.feed import FeedUpdate, SyncStatus


@dataclass(slots=True)
class Digest:
    initial: bool = False
    store_changed: bool = False
    orders_started: bool = False  # a code may have been used: refetch "drinks left"
    status: SyncStatus | None = None  # the latest status, when it changed
    completed: dict[str, OrderState] = field(default_factory=dict)


class FeedDigest:
    def __init__(self) -> None:
        self._pending = Digest()

    def add(self, update: FeedUpdate) -> None:
        pending = self._pending
        pending.initial |= update.initial
        pending.store_changed |= update.store_changed
        if update.status is not None:
            pending.status = update.status
        for change in update.changes:
            if change.event.type == "OrderStarted":
                pending.orders_started = True
            was_completed = change.before is not None and change.before.status is OrderStatus.COMPLETED
            if change.after.status is OrderStatus.COMPLETED and not was_completed:
                pending.completed[change.after.id] = change.after

    def drain(self) -> Digest:
        drained, self._pending = self._pending, Digest()
        return drained

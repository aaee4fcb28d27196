"""The messages that carry the outside world into the app, and commands' outcomes back.

Feed messages may arrive in bursts (a rush, a catch-up after the link returns); those that
describe state rather than history use `can_replace` so the queue merges them and the
screen redraws once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from barista_tui.wording import Request
from core.sync.feed import CommandResult, Notice, SyncStatus


@dataclass
class FeedReloaded(Message):
    """The replica was (re)loaded: rebuild the board from the projection."""


@dataclass
class OrdersChanged(Message):
    """These orders changed; `arrivals` of them were newly placed (the bell rings)."""

    order_ids: set[str] = field(default_factory=set)
    arrivals: int = 0

    def can_replace(self, message: Message) -> bool:
        # A newer batch is waiting: hand it our ids and let it carry both.
        if isinstance(message, OrdersChanged):
            message.order_ids |= self.order_ids
            message.arrivals += self.arrivals
            return True
        return False


@dataclass
class StatusChanged(Message):
    status: SyncStatus

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusChanged)


@dataclass
class StoreChanged(Message):
    """Open/closed or the menu changed."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreChanged)


@dataclass
class NoticeArrived(Message):
    notice: Notice


@dataclass
class CommandFinished(Message):
    """A barista command came back (accepted, queued offline, or refused)."""

    request: Request
    result: CommandResult

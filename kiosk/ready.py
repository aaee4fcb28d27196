"""Which numbers the ready board shows: each from when the kiosk saw it complete, for the
store's `ready_display_s`, highlighted for its first moments there.

Times are the kiosk's own clock for orders seen completing live, so a kiosk whose clock is a
little off the backend's still shows each number for the full time. Completions found when
loading or catching up count from their event time, so old ones never reappear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.orders import OrderState, OrderStatus

HIGHLIGHT_S = 20.0  # a new number stands out this long, so people notice it arrive


@dataclass(frozen=True, slots=True)
class ReadyEntry:
    order_id: str
    number: int
    since: datetime
    highlighted: bool


class ReadyTracker:
    def __init__(self, display_s: float, highlight_s: float = HIGHLIGHT_S) -> None:
        self.display = timedelta(seconds=display_s)
        self.highlight = timedelta(seconds=min(highlight_s, display_s))
        self._since: dict[str, datetime] = {}

    def seen_completed(self, order: OrderState, now: datetime, live: bool) -> None:
        """Note an order that is now completed (`live`: we saw it happen just now)."""
        if order.status is not OrderStatus.COMPLETED or order.id in self._since:
            return
        ended = order.ended_at or now
        if live and now - ended < self.display:
            self._since[order.id] = now
        elif now - ended < self.display:
            self._since[order.id] = ended

    def entries(self, orders: Iterable[OrderState], now: datetime) -> list[ReadyEntry]:
        """The board, newest first. `orders` are the tracked orders' current states; an order
        that is no longer completed (a conflict settled against it) drops off."""
        current = {o.id: o for o in orders}
        shown: list[ReadyEntry] = []
        for order_id, since in list(self._since.items()):
            order = current.get(order_id)
            if now - since >= self.display:
                del self._since[order_id]
            elif order is not None and order.status is OrderStatus.COMPLETED and order.number:
                shown.append(ReadyEntry(order_id, order.number, since, now - since < self.highlight))
        shown.sort(key=lambda e: (e.since, e.number), reverse=True)
        return shown

    @property
    def tracked_ids(self) -> list[str]:
        return list(self._since)

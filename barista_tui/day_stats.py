"""The status line's numbers for today, computed on the replica's orders. Pure.

Same definitions as `GET /stats` (API.md): "today" is the store's business day in its time
zone; the average wait is placed → completed over today's completed orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.business_day import business_day
from core.orders import OrderState, OrderStatus


@dataclass(frozen=True, slots=True)
class DayStats:
    served_today: int = 0
    avg_wait_s: float | None = None
    queued: int = 0
    making: int = 0
    choosing: int = 0  # started, the customer still picking a drink


def day_stats(orders: Iterable[OrderState], now: datetime, zone: ZoneInfo) -> DayStats:
    today = business_day(now, zone)
    served = 0
    waited = 0.0
    counts = {OrderStatus.QUEUED: 0, OrderStatus.MAKING: 0, OrderStatus.STARTED: 0}
    for order in orders:
        if order.status in counts:
            counts[order.status] += 1
        elif (
            order.status is OrderStatus.COMPLETED
            and order.ended_at is not None
            and business_day(order.ended_at, zone) == today
        ):
            served += 1
            if order.placed_at is not None:
                waited += (order.ended_at - order.placed_at).total_seconds()
    return DayStats(
        served_today=served,
        avg_wait_s=waited / served if served else None,
        queued=counts[OrderStatus.QUEUED],
        making=counts[OrderStatus.MAKING],
        choosing=counts[OrderStatus.STARTED],
    )

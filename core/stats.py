"""A store's numbers for today, computed from a projection (the backend's or a replica's).

"Today" is the store's business day in its time zone; an order counts on the day it ended.
`avg_wait_s`: mean time from placed to completed; `avg_make_s`: from the last claim to
completed (orders completed without a claim left out); both over today's completed orders,
None when there are none. `by_item`: orders completed today per item id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from core.business_day import business_day
from core.orders import OrderStatus
from core.projection import Projection


@dataclass(frozen=True, slots=True)
class StoreStats:
    served_today: int = 0
    cancelled_today: int = 0
    timed_out_today: int = 0
    queued: int = 0
    making: int = 0
    avg_wait_s: float | None = None
    avg_make_s: float | None = None
    by_item: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def store_stats(projection: Projection, now: datetime) -> StoreStats:
    zone = projection.config.zone
    today = business_day(now, zone)
    ended: Counter[OrderStatus] = Counter()
    waits: list[float] = []
    makes: list[float] = []
    by_item: Counter[str] = Counter()
    for order in projection.orders():
        if order.ended_at is None or order.status is None or business_day(order.ended_at, zone) != today:
            continue
        ended[order.status] += 1
        if order.status is not OrderStatus.COMPLETED:
            continue
        if order.item:
            by_item[order.item] += 1
        if order.placed_at is not None:
            waits.append((order.ended_at - order.placed_at).total_seconds())
        if order.claimed_at is not None:
            makes.append((order.ended_at - order.claimed_at).total_seconds())
    return StoreStats(
        served_today=ended[OrderStatus.COMPLETED],
        cancelled_today=ended[OrderStatus.CANCELLED],
        timed_out_today=ended[OrderStatus.TIMED_OUT],
        queued=projection.count(OrderStatus.QUEUED),
        making=projection.count(OrderStatus.MAKING),
        avg_wait_s=_mean(waits),
        avg_make_s=_mean(makes),
        by_item=dict(sorted(by_item.items())),
    )

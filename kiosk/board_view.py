"""What the queue board shows, derived from the store's projection. Pure: no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.orders import OrderState, OrderStatus
from core.projection import Projection
from core.text import first_name
from kiosk.ready import ReadyEntry, ReadyTracker
from kiosk.wait_estimate import RECENT, Completion, estimate_wait_s

_LONG_AGO = datetime.min.replace(tzinfo=UTC)
AT_WORK = timedelta(minutes=10)  # a barista who completed a drink this recently is still at work


@dataclass(frozen=True, slots=True)
class MakingEntry:
    number: int
    name: str  # the customer's first name, plain text


@dataclass(frozen=True, slots=True)
class BoardView:
    making: tuple[MakingEntry, ...]
    ready: tuple[ReadyEntry, ...]
    waiting: int  # placed, not yet being made
    wait_s: float | None  # estimated wait for a new order


def _claim_order(order: OrderState) -> tuple[datetime, int]:
    return (order.claimed_at or order.placed_at or order.created_at or _LONG_AGO, order.number or 0)


def recent_completions(projection: Projection, now: datetime) -> list[Completion]:
    return [
        Completion(o.barista, o.claimed_at, o.ended_at)
        for o in projection.orders()
        if o.status is OrderStatus.COMPLETED and o.ended_at is not None and now - o.ended_at <= RECENT
    ]


def board_view(projection: Projection, tracker: ReadyTracker, now: datetime) -> BoardView:
    open_orders = list(projection.open_orders())
    making = sorted((o for o in open_orders if o.status is OrderStatus.MAKING), key=_claim_order)
    waiting = sum(1 for o in open_orders if o.status is OrderStatus.QUEUED)
    tracked = (o for i in tracker.tracked_ids if (o := projection.order(i)) is not None)
    completions = recent_completions(projection, now)
    baristas = {o.barista for o in making}
    baristas |= {c.barista for c in completions if now - c.completed_at <= AT_WORK}
    baristas.discard(None)
    return BoardView(
        making=tuple(MakingEntry(o.number or 0, first_name(o.customer_name)) for o in making),
        ready=tuple(tracker.entries(tracked, now)),
        waiting=waiting,
        wait_s=estimate_wait_s(completions, waiting, len(making), len(baristas), now),
    )

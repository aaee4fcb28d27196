"""What the board shows of an order: its lane, its card, how late it is. Pure, no Textual.

The screen turns each order the feed reports into a `Card` and lets the column widgets diff
cards by order id, so one event costs one card, however long the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.menu import Menu
from core.orders import OrderState, OrderStatus
from core.text import first_name


class Lane(StrEnum):
    QUEUE = "queue"
    MAKING = "making"
    READY = "ready"


LANES: tuple[Lane, ...] = (Lane.QUEUE, Lane.MAKING, Lane.READY)


class AgeBand(StrEnum):
    CALM = "calm"
    WARNING = "warning"
    LATE = "late"


def age_band(age_s: float, warning_s: float, late_s: float) -> AgeBand:
    """Calm under `warning_s`, warning under `late_s`, late from then on."""
    if age_s >= late_s:
        return AgeBand.LATE
    if age_s >= warning_s:
        return AgeBand.WARNING
    return AgeBand.CALM


def format_age(age_s: float) -> str:
    """`m:ss` under an hour, `h:mm:ss` past it; never negative (clocks may disagree a bit)."""
    total = max(0, int(age_s))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def lane_of(order: OrderState, now: datetime, ready_window_s: float) -> Lane | None:
    """Where an order sits on the board, or None when it is not on it.

    Orders still choosing (`started`) have no drink yet; ready orders stay `ready_window_s`
    after completion (as on the booth's ready board); cancelled and timed-out orders leave.
    """
    if order.status is OrderStatus.QUEUED:
        return Lane.QUEUE
    if order.status is OrderStatus.MAKING:
        return Lane.MAKING
    if (
        order.status is OrderStatus.COMPLETED
        and order.ended_at is not None
        and (now - order.ended_at).total_seconds() < ready_window_s
    ):
        return Lane.READY
    return None


def drink_name(menu: Menu, item_id: str | None) -> str:
    """The menu's name for an item, or its id when the menu no longer lists it."""
    if item_id is None:
        return "?"
    item = menu.item(item_id)
    return item.name if item is not None else item_id


def options_text(options: dict[str, str] | None) -> str:
    """The chosen option values, in the menu's order: "Oat · Large"."""
    return " · ".join(options.values()) if options else ""


def drink_label(menu: Menu, item_id: str | None, options: dict[str, str] | None) -> str:
    """The drink and its options on one line: "Flat White · Oat"."""
    extras = options_text(options)
    name = drink_name(menu, item_id)
    return f"{name} · {extras}" if extras else name


@dataclass(frozen=True, slots=True)
class Card:
    """Everything a column needs to draw one order; equal cards draw the same."""

    order_id: str
    lane: Lane
    number: int | None
    name: str  # the customer's first name, plain text (never markup)
    drink: str
    options: str
    barista: str | None
    mine: bool
    since: datetime  # the age counts from here: placed (queue, making) or completed (ready)
    sort_key: tuple[float, int, str]

    @property
    def label(self) -> str:
        return f"#{self.number}" if self.number is not None else "#?"


def card_of(order: OrderState, lane: Lane, menu: Menu, me: str) -> Card:
    placed = order.placed_at or order.created_at
    assert placed is not None, "a placed order has a time"
    since = order.ended_at if lane is Lane.READY and order.ended_at is not None else placed
    # Queue and making: oldest first (fair); ready: the newest on top, where the eye is.
    stamp = since.timestamp()
    key = (-stamp if lane is Lane.READY else stamp, order.number or 0, order.id)
    return Card(
        order_id=order.id,
        lane=lane,
        number=order.number,
        name=first_name(order.customer_name),
        drink=drink_name(menu, order.item),
        options=options_text(order.options),
        barista=order.barista,
        mine=order.barista is not None and order.barista == me,
        since=since,
        sort_key=key,
    )

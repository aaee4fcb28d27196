"""What the barista is told after a command, in plain words. Pure.

"Ana is making #42" says more in a rush than "409 already_claimed".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import ErrorCode
from core.orders import OrderState, OrderStatus
from core.sync.feed import CommandResult


class Kind(StrEnum):
    CLAIM = "claim"
    UNCLAIM = "unclaim"
    COMPLETE = "complete"
    CANCEL = "cancel"
    WALK_UP = "walk_up"
    OPEN = "open"
    CLOSE = "close"
    ITEM_STOCK = "item_stock"
    CHOICE_STOCK = "choice_stock"


@dataclass(frozen=True, slots=True)
class Request:
    """One barista command, as the screen asked for it."""

    kind: Kind
    order_id: str | None = None
    number: int | None = None
    reason: str | None = None
    customer_name: str = ""  # walk-up
    item: str = ""  # walk-up, item stock
    options: tuple[tuple[str, str], ...] = ()  # walk-up
    option: str = ""  # choice stock
    choice: str = ""  # choice stock
    available: bool = True  # stock
    label: str = ""  # what the barista calls it: "Flat White", "Oat"

    @property
    def ref(self) -> str:
        return f"#{self.number}" if self.number is not None else "the order"


@dataclass(frozen=True, slots=True)
class Said:
    text: str
    severity: str = "information"  # Textual's notify severities


OFFLINE_NOTE = " (offline: it syncs when the link is back)"

_DONE = {
    Kind.CLAIM: "Claimed {ref}",
    Kind.UNCLAIM: "Put {ref} back in the queue",
    Kind.COMPLETE: "{ref} is ready",
    Kind.CANCEL: "Cancelled {ref}",
    Kind.OPEN: "Opened the store",
    Kind.CLOSE: "Closed the store: no new orders; open ones carry on",
}

_VERB = {
    Kind.CLAIM: "claim",
    Kind.UNCLAIM: "unclaim",
    Kind.COMPLETE: "complete",
    Kind.CANCEL: "cancel",
    Kind.WALK_UP: "place the walk-up",
    Kind.OPEN: "open the store",
    Kind.CLOSE: "close the store",
    Kind.ITEM_STOCK: "change the stock",
    Kind.CHOICE_STOCK: "change the stock",
}


def describe(request: Request, result: CommandResult, current: OrderState | None = None) -> Said:
    """Words for a finished command. `current` is the order as the board knows it now."""
    if result.ok:
        return Said(_success(request, result) + (OFFLINE_NOTE if result.queued_offline else ""))
    order = result.order or current
    return Said(_failure(request, result, order), "warning" if result.error else "error")


def _success(request: Request, result: CommandResult) -> str:
    if request.kind is Kind.WALK_UP:
        number = result.order.number if result.order is not None else None
        ref = f"#{number}" if number is not None else "a walk-up"
        return f"Walk-up {ref} for {request.customer_name} placed"
    if request.kind in (Kind.ITEM_STOCK, Kind.CHOICE_STOCK):
        return f"{request.label} is back" if request.available else f"{request.label} marked as run out"
    return _DONE[request.kind].format(ref=request.ref)


def _failure(request: Request, result: CommandResult, order: OrderState | None) -> str:
    ref = request.ref
    if result.error is ErrorCode.ALREADY_CLAIMED:
        who = order.barista if order is not None and order.barista else "another barista"
        return f"{who} is making {ref}"
    if result.error is ErrorCode.INVALID_TRANSITION and order is not None:
        return _why_not(request.kind, ref, order)
    if result.error is ErrorCode.STORE_CLOSED:
        return "The store is closed: press o to open it first"
    if result.error is ErrorCode.NOT_FOUND:
        return f"{ref} is not known here"
    detail = result.detail or (str(result.error) if result.error else "something went wrong")
    return f"Could not {_VERB[request.kind]}{'' if request.order_id is None else ' ' + ref}: {detail}"


def _why_not(kind: Kind, ref: str, order: OrderState) -> str:
    status = order.status
    if status is OrderStatus.COMPLETED:
        return f"{ref} is already ready"
    if status is OrderStatus.CANCELLED:
        why = f" ({order.reason})" if order.reason else ""
        return f"{ref} was cancelled{why}"
    if status is OrderStatus.TIMED_OUT:
        return f"{ref} timed out"
    if kind is Kind.UNCLAIM and status is OrderStatus.QUEUED:
        return f"{ref} is not being made: nothing to unclaim"
    if status is OrderStatus.STARTED:
        return f"{ref}: the customer is still choosing"
    return f"Cannot {_VERB[kind]} {ref} while it is {status}"

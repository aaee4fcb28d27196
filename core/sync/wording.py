"""Plain words for what happened to an order, as a barista would say it."""

from __future__ import annotations

from core.errors import ErrorCode
from core.events import Event
from core.orders import OrderState, OrderStatus


def order_label(order: OrderState | None, order_id: str = "") -> str:
    if order is None:
        return "that order"
    if order.number is not None:
        return f"#{order.number}"
    return f"{order.customer_name}'s order" if order.customer_name else "that order"


def canceller(event: Event | None) -> str:
    """Who cancelled, from the cancelling event."""
    if event is None:
        return "someone"
    if event.data.get("reason") == "customer":
        return "the customer"
    return event.actor or "a barista"


def completer(order: OrderState) -> str:
    ending = order.ended_by
    if ending is not None:
        return str(ending.data.get("barista") or ending.actor or "a barista")
    return order.barista or "a barista"


def state_in_words(order: OrderState) -> str:
    """'is being made by Ana', 'was cancelled by the customer', 'is ready', …"""
    status = order.status
    if status is OrderStatus.MAKING:
        return f"is being made by {order.barista}"
    if status is OrderStatus.COMPLETED:
        return f"was already completed by {completer(order)}"
    if status is OrderStatus.CANCELLED:
        return f"was cancelled by {canceller(order.ended_by)}"
    if status is OrderStatus.TIMED_OUT:
        return "timed out"
    if status is OrderStatus.QUEUED:
        return "is waiting in the queue"
    if status is OrderStatus.STARTED:
        return "has no drink chosen yet"
    return "is not known here"


def rejection_text(code: ErrorCode | None, detail: str, order: OrderState | None) -> str:
    """A refusal, naming who has the order when that is the reason."""
    named = code in (ErrorCode.ALREADY_CLAIMED, ErrorCode.INVALID_TRANSITION)
    if named and order is not None and order.status is not OrderStatus.QUEUED:
        return f"{order_label(order)} {state_in_words(order)}"
    if code is ErrorCode.NOT_FOUND:
        return f"{order_label(order)} is not known to the server"
    return detail

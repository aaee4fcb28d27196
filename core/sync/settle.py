"""Did a barista's command stand? Watching intents until their order settles.

Replicas converge by the core's rules (core/orders.py, docs/conflicts.md): the first claim
by time holds the order, the earliest completion or cancellation ends it. A command that
was accepted (online or from the outbox) can still lose later, when another device's
earlier offline event arrives. Each claim, completion and cancellation is kept as an
`Intent` and judged on every change of its order; a loss is told once, in plain words.
"""

from __future__ import annotations

from typing import Literal

from core.orders import OrderState, OrderStatus
from core.sync.replica import Intent
from core.sync.wording import canceller, completer, order_label

Verdict = Literal["watch", "done", "lost"]


def judge(intent: Intent, order: OrderState | None) -> tuple[Verdict, str]:
    """'watch' (not settled), 'done' (it stood), or 'lost' with the words to tell."""
    if order is None or order.status is None:
        return "watch", ""
    judge_kind = {"claim": _claim, "complete": _complete, "cancel": _cancel}.get(intent.kind)
    if judge_kind is None:
        return "done", ""
    return judge_kind(intent, order)


def _my_time(intent: Intent, order: OrderState) -> object:
    return next((e.sort_key for e in order.events if e.causation_id == intent.command_id), None)


def _before_mine(intent: Intent, order: OrderState) -> bool:
    mine = _my_time(intent, order)
    ending = order.ended_by
    return mine is not None and ending is not None and ending.sort_key < mine  # type: ignore[operator]


def _claim(intent: Intent, order: OrderState) -> tuple[Verdict, str]:
    label = order_label(order)
    status = order.status
    if status is OrderStatus.MAKING:
        if order.barista == intent.actor:
            return "watch", ""
        return "lost", f"{label} is being made by {order.barista}"
    if status is OrderStatus.COMPLETED:
        who = completer(order)
        return ("done", "") if who == intent.actor else ("lost", f"{label} was completed by {who}")
    if status is OrderStatus.CANCELLED:
        who = canceller(order.ended_by)
        if order.ended_by is not None and order.ended_by.actor == intent.actor and who != "the customer":
            return "done", ""
        when = " before you claimed it" if _before_mine(intent, order) else " while you had it"
        return "lost", f"{label} was cancelled by {who}{when}"
    if status is OrderStatus.TIMED_OUT:
        return "lost", f"{label} timed out before it was completed"
    return "watch", ""


def _complete(intent: Intent, order: OrderState) -> tuple[Verdict, str]:
    status = order.status
    if status is OrderStatus.COMPLETED:
        return "done", ""
    if status is OrderStatus.CANCELLED:
        ending = order.ended_by
        if ending is not None and ending.actor == intent.actor and ending.data.get("reason") != "customer":
            return "done", ""
        return "lost", f"{order_label(order)} was cancelled by {canceller(ending)} before you completed it"
    return "watch", ""


def _cancel(intent: Intent, order: OrderState) -> tuple[Verdict, str]:
    status = order.status
    if status is OrderStatus.COMPLETED:
        who = completer(order)
        if who == intent.actor:
            return "done", ""
        return "lost", f"{order_label(order)} was completed by {who} before you cancelled it"
    if status in (OrderStatus.CANCELLED, OrderStatus.TIMED_OUT):
        return "done", ""
    return "watch", ""

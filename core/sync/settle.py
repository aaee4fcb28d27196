"""Did a barista's command stand? Watching intents until their order settles.

Replicas converge by the core's rules (core/orders.py, docs/conflicts.md): the first claim
by time holds the order, the earliest completion or cancellation ends it. A command that
was accepted (online or from the outbox) can still lose later, when another device's
earlier offline event arrives. Each claim, completion and cancellation is kept as an
`Intent` and judged on every change of its order; a loss is told once, in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from core.clock import Clock
from core.orders import OrderState, OrderStatus
from core.projection import OrderChange, Projection
from core.sync.feed import Notice
from core.sync.replica import Intent, Replica
from core.sync.wording import canceller, completer, order_label

Verdict = Literal["watch", "done", "lost"]
HORIZON = timedelta(hours=12)  # orders that ended longer ago are settled for good


class Watcher:
    """The intents of this device, kept in the replica, judged on every change."""

    def __init__(self, replica: Replica, projection: Projection, clock: Clock) -> None:
        self._replica = replica
        self._projection = projection
        self._clock = clock
        self._by_order: dict[str, list[Intent]] = {}
        for intent in replica.intents():
            self._by_order.setdefault(intent.order_id, []).append(intent)
        self.prune(clock.now() - HORIZON)

    def remember(self, intent: Intent) -> None:
        """Watch a command (durably; joins an open replica transaction). My latest command
        on an order is the one to defend: it replaces my earlier ones."""
        self._retire(intent.order_id, list(self._by_order.get(intent.order_id, [])))
        self._replica.add_intent(intent)
        self._by_order.setdefault(intent.order_id, []).append(intent)

    def forget_claims(self, order_id: str) -> None:
        """My own unclaim: my earlier claims of this order are no longer mine to defend."""
        self._retire(order_id, [i for i in self._by_order.get(order_id, []) if i.kind == "claim"])

    def judge(self, changes: Iterable[OrderChange]) -> list[Notice]:
        notices: list[Notice] = []
        for order_id in dict.fromkeys(change.after.id for change in changes):
            notices += self.judge_order(order_id)
        return notices

    def judge_order(self, order_id: str) -> list[Notice]:
        """Tell (once) if my command on this order lost. A command that stands is still
        watched: another device's earlier offline event may arrive later and beat it."""
        order = self._projection.order(order_id)
        for intent in self._by_order.get(order_id, []):
            verdict, text = judge(intent, order)
            if verdict == "lost":
                self._retire(order_id, [intent])
                return [Notice(text=text, time=self._clock.now(), order_id=order_id)]
        return []

    def prune(self, ended_before: datetime) -> None:
        """Stop watching orders that ended long ago, or that this device no longer knows."""
        for order_id, intents in list(self._by_order.items()):
            order = self._projection.order(order_id)
            if order is None or (order.ended_at is not None and order.ended_at < ended_before):
                self._retire(order_id, list(intents))

    def _retire(self, order_id: str, intents: list[Intent]) -> None:
        if not intents:
            return
        self._replica.remove_intents([i.command_id for i in intents])
        left = [i for i in self._by_order.get(order_id, []) if i not in intents]
        if left:
            self._by_order[order_id] = left
        else:
            self._by_order.pop(order_id, None)


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

"""Events a device recorded while offline (`POST /stores/{store}/events`).

They happened: they are stored even when they conflict with the log (the core's convergence
rule settles what they mean). What is checked: the types a barista may push, the data shape,
free text cleaned like any other, and that each order is known (or is a walk-up started in
the same push). Any refusal stores nothing of the request. Idempotent by event id.
"""

from __future__ import annotations

from backend.views import to_json
from backend.writer import Action, Reply, Step
from core.errors import ErrorCode, Rejected
from core.events import Event, EventDataError, check_event
from core.text import clean_text

PUSHABLE = frozenset(
    {
        "OrderStarted",
        "OrderPlaced",
        "OrderClaimed",
        "OrderUnclaimed",
        "OrderCompleted",
        "OrderCancelled",
    }
)
_TEXT_FIELDS = ("customer_name", "barista", "reason")


def check_types(events: list[Event]) -> None:
    """403 for a type a barista may not push (checked before anything else in the body)."""
    for event in events:
        if event.type not in PUSHABLE:
            raise Rejected(ErrorCode.FORBIDDEN, f"{event.type} events cannot be pushed")
        if event.type == "OrderStarted" and event.data.get("walkup") is not True:
            raise Rejected(ErrorCode.FORBIDDEN, "only walk-up orders can be started by a push")


def _cleaned(event: Event, store: str) -> Event:
    if event.store != store:
        raise Rejected(ErrorCode.VALIDATION_ERROR, f"event {event.id} belongs to store {event.store!r}")
    data = dict(event.data)
    for key in _TEXT_FIELDS:
        if isinstance(data.get(key), str):
            data[key] = clean_text(data[key])
    event = event.model_copy(
        update={
            "seq": None,
            "data": data,
            "actor": clean_text(event.actor),
            "origin": clean_text(event.origin),
            "causation_id": clean_text(event.causation_id) if event.causation_id else None,
        }
    )
    try:
        return check_event(event)
    except EventDataError as error:
        raise Rejected(ErrorCode.VALIDATION_ERROR, str(error)) from error


def push_events(events: list[Event]) -> Action:
    def action(step: Step) -> Reply:
        state = step.state
        cleaned = [_cleaned(e, state.store) for e in events]
        known = step.tx.known_ids([e.id for e in cleaned])
        walkups = {e.order_id for e in cleaned if e.type == "OrderStarted"}
        for event in cleaned:
            order_id = event.order_id or ""
            if event.id in known:
                continue
            if event.type == "OrderStarted":
                existing = state.order(order_id)
                if existing is not None and not existing.walkup:
                    raise Rejected(ErrorCode.VALIDATION_ERROR, f"order {order_id} is not a walk-up")
                continue
            order = state.order(order_id)
            if order is None and order_id not in walkups:
                raise Rejected(ErrorCode.VALIDATION_ERROR, f"unknown order {order_id}")
            if event.type == "OrderPlaced" and order_id not in walkups and not (order and order.walkup):
                raise Rejected(ErrorCode.FORBIDDEN, "only walk-up orders can be placed by a push")
        fresh: dict[str, Event] = {}
        for event in cleaned:
            if event.id not in known:
                fresh.setdefault(event.id, event)
        stored = step.append(list(fresh.values()), new=False)
        body = {
            "accepted": len(stored),
            "duplicates": len(events) - len(stored),
            "last_seq": state.last_seq,
        }
        return Reply(200, to_json(body))

    return action

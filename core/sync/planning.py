"""A barista command, described both ways: as the HTTP request the backend decides, and as
the core command this device decides itself while offline (with the same rules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import commands as c
from core.decider import Context, decide
from core.events import Event
from core.ids import derived_id
from core.projection import Projection
from core.sync.http_api import API, q

# Only these may be pushed as events (API.md: POST …/events); store commands wait for the
# backend instead (sent again from the outbox when the link returns).
PUSHABLE = frozenset({"claim", "unclaim", "complete", "cancel", "walk_up"})
WATCHED = frozenset({"claim", "complete", "cancel"})


@dataclass(frozen=True, slots=True)
class Planned:
    kind: str
    command: c.Command
    path: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    order_id: str | None = None

    @property
    def pushable(self) -> bool:
        return self.kind in PUSHABLE

    @property
    def watched(self) -> bool:
        return self.kind in WATCHED and self.order_id is not None


def _order(
    kind: str, command: c.Command, order_id: str, actor: str, body: dict[str, Any] | None = None
) -> Planned:
    path = f"{API}/orders/{q(order_id)}/{kind}"
    return Planned(kind, command, path, body, {"X-Barista": actor}, order_id)


def plan_claim(order_id: str, actor: str) -> Planned:
    return _order("claim", c.ClaimOrder(order_id, actor), order_id, actor)


def plan_unclaim(order_id: str, actor: str) -> Planned:
    return _order("unclaim", c.UnclaimOrder(order_id, actor), order_id, actor)


def plan_complete(order_id: str, actor: str) -> Planned:
    return _order("complete", c.CompleteOrder(order_id, actor), order_id, actor)


def plan_cancel(order_id: str, actor: str, reason: str | None) -> Planned:
    body = {"reason": reason} if reason else {}
    return _order("cancel", c.CancelOrder(order_id, "barista", reason), order_id, actor, body)


def plan_walk_up(store_path: str, actor: str, name: str, item: str, options: Mapping[str, str]) -> Planned:
    body = {"customer_name": name, "item": item, "options": dict(options)}
    command = c.WalkUp(name, item, dict(options))
    return Planned("walk_up", command, f"{store_path}/walkups", body, {"X-Barista": actor})


def plan_store(
    store_path: str, actor: str, kind: str, command: c.Command, body: dict[str, Any] | None
) -> Planned:
    suffix = {"open": "open", "close": "close"}.get(kind, "stock")
    return Planned(kind, command, f"{store_path}/{suffix}", body, {"X-Barista": actor})


def id_source(command_id: str) -> Callable[[], str]:
    """Ids for what a command makes, derived from its id: a retry makes the same events."""
    counter = iter(range(1_000_000))
    return lambda: derived_id(command_id, next(counter))


def decide_here(
    planned: Planned,
    projection: Projection,
    *,
    command_id: str,
    actor: str,
    origin: str,
    now: datetime,
    number: int | None = None,
) -> list[Event]:
    """Decide with the core's rules against this replica (raises `Rejected` like the backend)."""
    ctx = Context(
        now=now,
        actor=actor,
        origin=origin,
        new_id=id_source(command_id),
        causation_id=command_id,
        number=number,
    )
    return decide(planned.command, projection, ctx)


def describe(planned: Planned, projection: Projection) -> str:
    """Plain words for an outbox entry: 'complete #42', 'walk-up for Ada'."""
    if planned.kind == "walk_up" and planned.body:
        return f"walk-up for {planned.body['customer_name']}"
    if planned.order_id is not None:
        order = projection.order(planned.order_id)
        label = f"#{order.number}" if order and order.number is not None else "an order"
        return f"{planned.kind} {label}"
    return {"open": "open the store", "close": "close the store"}.get(planned.kind, "change the stock")

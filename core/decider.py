"""The decider: `decide(command, state, context) -> events`, or a typed rejection.

Pure: the time, ids, the next order number and the code's verdict come in through the
context; nothing here reads a clock, a database or a random source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from pydantic import BaseModel

from core import commands as c
from core.config import StoreConfig
from core.errors import ErrorCode, Rejected
from core.events import (
    BaristaData,
    EmptyData,
    Event,
    EventType,
    MenuChangedData,
    OrderClaimedData,
    OrderPlacedData,
    OrderStartedData,
    ReasonData,
    TimeoutData,
    make_event,
)
from core.menu import Menu, MenuError, resolve_drink, with_choice_available, with_item_available
from core.orders import END_STATES, OrderState, OrderStatus
from core.text import clean_text

NAME_MAX = 40
REASON_MAX = 200
CUSTOMER_ID_MAX = 100


class CodeVerdict(Enum):
    VALID = "valid"
    INVALID = "invalid"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True, slots=True)
class Context:
    """Everything impure a decision needs, gathered before deciding."""

    now: datetime
    actor: str
    origin: str
    new_id: Callable[[], str]
    causation_id: str | None = None
    number: int | None = None  # the order number a placed order would take
    code: CodeVerdict | None = None  # the scanned code's verdict, for StartOrder


class StoreView(Protocol):
    """What the decider reads of a store's state."""

    store: str
    config: StoreConfig

    @property
    def is_open(self) -> bool: ...
    @property
    def menu(self) -> Menu: ...
    @property
    def open_count(self) -> int: ...
    def order(self, order_id: str) -> OrderState | None: ...
    def open_orders_of(self, customer_id: str) -> int: ...


def decide(command: c.Command, state: StoreView, ctx: Context) -> list[Event]:
    handler = _HANDLERS[type(command)]
    return handler(command, state, ctx)


# -- helpers -------------------------------------------------------------------------


def _event(
    ctx: Context,
    state: StoreView,
    type_: EventType,
    data: BaseModel | None = None,
    order_id: str | None = None,
) -> Event:
    return make_event(
        type_,
        store=state.store,
        time=ctx.now,
        actor=ctx.actor,
        origin=ctx.origin,
        order_id=order_id,
        causation_id=ctx.causation_id,
        data=data or EmptyData(),
        id=ctx.new_id(),
    )


def clean_name(raw: str, what: str = "customer_name") -> str:
    name = clean_text(raw)
    if not 1 <= len(name) <= NAME_MAX:
        raise Rejected(ErrorCode.VALIDATION_ERROR, f"{what} must be 1 to {NAME_MAX} characters")
    return name


def clean_reason(raw: str | None) -> str | None:
    if raw is None:
        return None
    reason = clean_text(raw)
    if len(reason) > REASON_MAX:
        raise Rejected(ErrorCode.VALIDATION_ERROR, f"reason must be at most {REASON_MAX} characters")
    return reason or None


def _order(state: StoreView, order_id: str) -> OrderState:
    order = state.order(order_id)
    if order is None:
        raise Rejected(ErrorCode.NOT_FOUND, "no such order")
    return order


def _resolve(menu: Menu, item: str, options: dict[str, str]) -> dict[str, str]:
    try:
        return resolve_drink(menu, item, options)[1]
    except MenuError as error:
        raise Rejected(ErrorCode.VALIDATION_ERROR, str(error)) from error


def _need_number(ctx: Context) -> int:
    if ctx.number is None:
        raise ValueError("placing an order needs context.number")
    return ctx.number


def _transition_error(order: OrderState, action: str) -> Rejected:
    return Rejected(ErrorCode.INVALID_TRANSITION, f"cannot {action} an order that is {order.status}")


# -- the rules -------------------------------------------------------------------------


def _start(cmd: c.StartOrder, state: StoreView, ctx: Context) -> list[Event]:
    name = clean_name(cmd.customer_name)
    customer_id = cmd.customer_id or None
    if customer_id is not None and len(customer_id) > CUSTOMER_ID_MAX:
        raise Rejected(ErrorCode.VALIDATION_ERROR, f"customer_id must be at most {CUSTOMER_ID_MAX} chars")
    if not state.is_open:
        raise Rejected(ErrorCode.STORE_CLOSED, "the store is closed")
    if ctx.code is CodeVerdict.INVALID or ctx.code is None:
        raise Rejected(ErrorCode.INVALID_CODE, "this code is unknown or has expired")
    if ctx.code is CodeVerdict.EXHAUSTED:
        raise Rejected(ErrorCode.CODE_EXHAUSTED, "this code has been used up; scan the new one")
    if state.open_count >= state.config.max_queue:
        raise Rejected(ErrorCode.STORE_FULL, "the queue is full; try again in a few minutes")
    limit = state.config.max_open_orders_per_customer
    if customer_id is not None and state.open_orders_of(customer_id) >= limit:
        raise Rejected(ErrorCode.ORDER_LIMIT, "you already have an open order")
    data = OrderStartedData(customer_name=name, customer_id=customer_id, walkup=False)
    return [_event(ctx, state, "OrderStarted", data, order_id=ctx.new_id())]


def _choose(cmd: c.ChooseDrink, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    options = _resolve(state.menu, cmd.item, cmd.options)
    if order.status is not OrderStatus.STARTED:
        raise _transition_error(order, "choose a drink for")
    if order.deadline is not None and ctx.now >= order.deadline:
        # Past the customer's deadline the order has timed out, even if the sweeper has not
        # recorded it yet (it does within a second).
        raise Rejected(ErrorCode.INVALID_TRANSITION, "the time to choose a drink has run out")
    data = OrderPlacedData(number=_need_number(ctx), item=cmd.item, options=options)
    return [_event(ctx, state, "OrderPlaced", data, order_id=order.id)]


def _claim(cmd: c.ClaimOrder, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    barista = clean_name(cmd.barista, "barista")
    if order.status is OrderStatus.MAKING:
        if order.barista == barista:
            return []  # already yours: nothing to record
        raise Rejected(ErrorCode.ALREADY_CLAIMED, f"{order.barista} is making this order")
    if order.status is not OrderStatus.QUEUED:
        raise _transition_error(order, "claim")
    data = OrderClaimedData(barista=barista)
    return [_event(ctx, state, "OrderClaimed", data, order_id=order.id)]


def _unclaim(cmd: c.UnclaimOrder, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    barista = clean_name(cmd.barista, "barista")
    if order.status is not OrderStatus.MAKING:
        raise _transition_error(order, "unclaim")
    if order.barista != barista:
        # Only the holder lets go (docs/conflicts.md): the fold ignores anyone else's unclaim.
        raise Rejected(ErrorCode.ALREADY_CLAIMED, f"{order.barista} is making this order")
    data = BaristaData(barista=barista)
    return [_event(ctx, state, "OrderUnclaimed", data, order_id=order.id)]


def _complete(cmd: c.CompleteOrder, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    if order.status not in (OrderStatus.QUEUED, OrderStatus.MAKING):
        raise _transition_error(order, "complete")
    data = BaristaData(barista=clean_name(cmd.barista, "barista"))
    return [_event(ctx, state, "OrderCompleted", data, order_id=order.id)]


def _cancel(cmd: c.CancelOrder, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    text = clean_reason(cmd.reason)
    if cmd.by == "customer":
        if order.status not in (OrderStatus.STARTED, OrderStatus.QUEUED):
            raise _transition_error(order, "cancel (as the customer)")
        reason = "customer"
    else:
        if order.status in END_STATES:
            raise _transition_error(order, "cancel")
        reason = f"barista: {text}" if text else "barista"
    return [_event(ctx, state, "OrderCancelled", ReasonData(reason=reason), order_id=order.id)]


def _time_out(cmd: c.TimeOutOrder, state: StoreView, ctx: Context) -> list[Event]:
    order = _order(state, cmd.order_id)
    if order.deadline is None or not order.is_open:
        raise _transition_error(order, "time out")
    if ctx.now < order.deadline:
        raise Rejected(ErrorCode.INVALID_TRANSITION, "the order's deadline has not passed")
    reason = "customer_timeout" if order.status is OrderStatus.STARTED else "barista_timeout"
    return [_event(ctx, state, "OrderTimedOut", TimeoutData(reason=reason), order_id=order.id)]


def _walk_up(cmd: c.WalkUp, state: StoreView, ctx: Context) -> list[Event]:
    name = clean_name(cmd.customer_name)
    options = _resolve(state.menu, cmd.item, cmd.options)
    if not state.is_open:
        raise Rejected(ErrorCode.STORE_CLOSED, "the store is closed")
    order_id = ctx.new_id()
    started = OrderStartedData(customer_name=name, walkup=True)
    placed = OrderPlacedData(number=_need_number(ctx), item=cmd.item, options=options)
    return [
        _event(ctx, state, "OrderStarted", started, order_id=order_id),
        _event(ctx, state, "OrderPlaced", placed, order_id=order_id),
    ]


def _open(cmd: c.OpenStore, state: StoreView, ctx: Context) -> list[Event]:
    return [] if state.is_open else [_event(ctx, state, "StoreOpened")]


def _close(cmd: c.CloseStore, state: StoreView, ctx: Context) -> list[Event]:
    return [_event(ctx, state, "StoreClosed")] if state.is_open else []


def _menu_event(menu: Menu, state: StoreView, ctx: Context) -> list[Event]:
    if menu == state.menu:
        return []
    return [_event(ctx, state, "MenuChanged", MenuChangedData(menu=menu.items))]


def _change_menu(cmd: c.ChangeMenu, state: StoreView, ctx: Context) -> list[Event]:
    return _menu_event(cmd.menu, state, ctx)


def _item_stock(cmd: c.SetItemStock, state: StoreView, ctx: Context) -> list[Event]:
    try:
        menu = with_item_available(state.menu, cmd.item, cmd.available)
    except MenuError as error:
        raise Rejected(ErrorCode.VALIDATION_ERROR, str(error)) from error
    return _menu_event(menu, state, ctx)


def _choice_stock(cmd: c.SetChoiceStock, state: StoreView, ctx: Context) -> list[Event]:
    try:
        menu = with_choice_available(state.menu, cmd.option, cmd.choice, cmd.available)
    except MenuError as error:
        raise Rejected(ErrorCode.VALIDATION_ERROR, str(error)) from error
    return _menu_event(menu, state, ctx)


_HANDLERS: dict[type, Callable[..., list[Event]]] = {
    c.StartOrder: _start,
    c.ChooseDrink: _choose,
    c.ClaimOrder: _claim,
    c.UnclaimOrder: _unclaim,
    c.CompleteOrder: _complete,
    c.CancelOrder: _cancel,
    c.TimeOutOrder: _time_out,
    c.WalkUp: _walk_up,
    c.OpenStore: _open,
    c.CloseStore: _close,
    c.ChangeMenu: _change_menu,
    c.SetItemStock: _item_stock,
    c.SetChoiceStock: _choice_stock,
}

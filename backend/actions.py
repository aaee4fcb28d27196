"""What the writer runs for each kind of request: gather the context inside the transaction,
call the pure decider, append, take the number or use the code only when accepted, answer.

Each factory returns an `Action` (run on the writer thread with a `Step`).
"""

from __future__ import annotations

from collections.abc import Callable

from backend.auth import OrderTokens
from backend.views import order_view, store_view, to_json
from backend.writer import Action, Reply, Step
from core import commands as c
from core.business_day import business_day
from core.codes import match_window
from core.decider import CodeVerdict, Context, decide
from core.errors import ErrorCode, Rejected
from core.events import Event
from core.ids import new_id
from core.orders import OrderState

ORIGIN = "backend"


def _context(
    step: Step, actor: str, *, number: int | None = None, code: CodeVerdict | None = None
) -> Context:
    return Context(
        now=step.now,
        actor=actor,
        origin=ORIGIN,
        new_id=new_id,
        causation_id=step.causation_id,
        number=number,
        code=code,
    )


def _placed_order(step: Step, command: c.Command, actor: str) -> list[Event]:
    """Decide a command that gives an order its number; take the number only if accepted."""
    day = business_day(step.now, step.state.config.zone)
    number = step.tx.peek_number(day)
    events = decide(command, step.state, _context(step, actor, number=number))
    if any(e.type == "OrderPlaced" for e in events):
        step.tx.take_numbers(day, 1)
    return step.append(events)


def _order_of(step: Step, order_id: str) -> OrderState:
    order = step.state.order(order_id)
    if order is None:
        raise Rejected(ErrorCode.NOT_FOUND, "no such order")
    return order


def start_order(command: c.StartOrder, code: str, secret: bytes, tokens: OrderTokens) -> Action:
    def action(step: Step) -> Reply:
        state = step.state
        window = match_window(secret, state.store, state.config, code, step.now)
        if window is None:
            verdict = CodeVerdict.INVALID
        elif step.tx.code_uses(window) >= state.config.drinks_per_code:
            verdict = CodeVerdict.EXHAUSTED
        else:
            verdict = CodeVerdict.VALID
        events = decide(command, state, _context(step, "customer", code=verdict))
        if window is not None and events:
            step.tx.use_code(window)
        stored = step.append(events)
        order = _order_of(step, stored[0].order_id or "")
        body = {"order": order_view(order), "order_token": tokens.issue(order.id)}
        return Reply(201, to_json(body))

    return action


def choose_drink(command: c.ChooseDrink) -> Action:
    def action(step: Step) -> Reply:
        _placed_order(step, command, "customer")
        return Reply(200, to_json(order_view(_order_of(step, command.order_id))))

    return action


def walk_up(command: c.WalkUp, actor: str) -> Action:
    def action(step: Step) -> Reply:
        stored = _placed_order(step, command, actor)
        return Reply(201, to_json(order_view(_order_of(step, stored[0].order_id or ""))))

    return action


def order_command(command: c.Command, order_id: str, actor: str) -> Action:
    """Claim, unclaim, complete, cancel, time out: answered with the order."""

    def action(step: Step) -> Reply:
        step.append(decide(command, step.state, _context(step, actor)))
        return Reply(200, to_json(order_view(_order_of(step, order_id))))

    return action


def store_command(command: c.Command, actor: str) -> Action:
    """Open, close, menu and stock changes: answered with the store object."""

    def action(step: Step) -> Reply:
        step.append(decide(command, step.state, _context(step, actor)))
        return Reply(200, to_json(store_view(step.state.store, step.state)))

    return action


def custom(run: Callable[[Step], Reply]) -> Action:
    return run

"""One order's state, derived from the set of its events, and the conflict rules."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.config import StoreConfig
from core.events import Event, EventType, make_event
from core.orders import OrderState, OrderStatus, Timeouts, evolve_order, order_from_events

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TIMEOUTS = Timeouts(customer_s=60, barista_s=600)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ev(type_: EventType, t: float, id_: str, order: str = "o1", **data: Any) -> Event:
    return make_event(
        type_, store="booth", time=at(t), actor="x", origin="backend", order_id=order, id=id_
    ).model_copy(update={"data": data})


STARTED = ev("OrderStarted", 0, "e-start", customer_name="Ada", customer_id="p1", walkup=False)
PLACED = ev("OrderPlaced", 10, "e-place", number=7, item="latte", options={"milk": "Oat"})


def derive(*events: Event) -> OrderState:
    return order_from_events("o1", "booth", events, TIMEOUTS)


def fold(events: tuple[Event, ...] | list[Event]) -> OrderState:
    state = OrderState(id="o1", store="booth")
    for event in events:
        state = evolve_order(state, event, TIMEOUTS)
    return state


def same_in_every_order(*events: Event) -> OrderState:
    """The state, after checking every arrival order gives it."""
    first, *others = (fold(p) for p in itertools.permutations(events))
    assert all(other == first for other in others), "arrival order changed the outcome"
    return first


def test_a_started_then_placed_order_has_its_fields_and_deadlines() -> None:
    started = derive(STARTED)
    assert (started.status, started.customer_name, started.customer_id) == (OrderStatus.STARTED, "Ada", "p1")
    assert (started.created_at, started.deadline, started.number) == (at(0), at(60), None)
    queued = derive(STARTED, PLACED)
    assert (queued.status, queued.number, queued.item, queued.options) == (
        "queued",
        7,
        "latte",
        {"milk": "Oat"},
    )
    assert (queued.placed_at, queued.deadline, queued.updated_at) == (at(10), at(610), at(10))


def test_events_seen_before_their_order_started_stay_invisible_until_it_arrives() -> None:
    claim = ev("OrderClaimed", 20, "e-claim", barista="Bo")
    stray = fold([claim, PLACED])
    assert stray.status is None and not stray.is_visible and not stray.is_open
    assert fold([claim, PLACED, STARTED]) == derive(STARTED, PLACED, claim)


def test_a_known_event_changes_nothing() -> None:
    state = derive(STARTED, PLACED)
    assert evolve_order(state, PLACED, TIMEOUTS) is state
    assert derive(STARTED, PLACED, PLACED, STARTED) == state


def test_two_claims_made_apart_the_earliest_wins_and_a_tie_goes_to_the_smaller_id() -> None:
    bo = ev("OrderClaimed", 20, "e-bo", barista="Bo")
    cy = ev("OrderClaimed", 25, "e-cy", barista="Cy")
    state = same_in_every_order(STARTED, PLACED, cy, bo)
    assert (state.status, state.barista, state.claimed_at) == (OrderStatus.MAKING, "Bo", at(20))
    tie_a = ev("OrderClaimed", 30, "e-b", barista="Cy")
    tie_b = ev("OrderClaimed", 30, "e-a", barista="Di")
    assert same_in_every_order(STARTED, PLACED, tie_a, tie_b).barista == "Di"


def test_the_losing_barista_letting_go_does_not_free_the_winners_claim() -> None:
    bo = ev("OrderClaimed", 20, "e-bo", barista="Bo")
    cy = ev("OrderClaimed", 25, "e-cy", barista="Cy")
    cy_lets_go = ev("OrderUnclaimed", 30, "e-cy-off", barista="Cy")
    assert same_in_every_order(STARTED, PLACED, bo, cy, cy_lets_go).barista == "Bo"
    bo_lets_go = ev("OrderUnclaimed", 40, "e-bo-off", barista="Bo")
    state = derive(STARTED, PLACED, bo, cy, cy_lets_go, bo_lets_go)
    assert (state.status, state.barista, state.claimed_at) == (OrderStatus.QUEUED, None, None)
    anonymous = ev("OrderUnclaimed", 40, "e-anon")
    assert derive(STARTED, PLACED, bo, anonymous).status is OrderStatus.QUEUED


def test_a_claim_after_the_holder_let_go_takes_the_order() -> None:
    events = (
        ev("OrderClaimed", 20, "e1", barista="Bo"),
        ev("OrderUnclaimed", 30, "e2", barista="Bo"),
        ev("OrderClaimed", 40, "e3", barista="Cy"),
    )
    state = same_in_every_order(STARTED, PLACED, *events)
    assert (state.barista, state.claimed_at) == ("Cy", at(40))


@pytest.mark.parametrize(
    ("complete_at", "cancel_at", "winner"),
    [(30, 40, OrderStatus.COMPLETED), (40, 30, OrderStatus.CANCELLED)],
)
def test_completion_against_cancellation_the_earlier_wins(
    complete_at: float, cancel_at: float, winner: OrderStatus
) -> None:
    completed = ev("OrderCompleted", complete_at, "e-done", barista="Bo")
    cancelled = ev("OrderCancelled", cancel_at, "e-cancel", reason="customer")
    state = same_in_every_order(STARTED, PLACED, completed, cancelled)
    assert state.status is winner and state.deadline is None
    if winner is OrderStatus.COMPLETED:
        assert (state.barista, state.reason, state.ended_at, state.ended_by) == (
            "Bo",
            None,
            at(30),
            completed,
        )
    else:
        assert (state.reason, state.ended_at, state.ended_by) == ("customer", at(30), cancelled)


def test_an_offline_completion_is_never_undone_by_a_timeout_even_a_later_one() -> None:
    timed_out = ev("OrderTimedOut", 610, "e-timeout", reason="barista_timeout")
    done_offline = ev("OrderCompleted", 700, "e-done", barista="Bo")  # after the deadline, offline
    state = same_in_every_order(STARTED, PLACED, timed_out, done_offline)
    assert (state.status, state.barista, state.reason, state.ended_at) == ("completed", "Bo", None, at(700))


def test_a_person_cancelling_also_beats_a_timeout_and_a_lone_timeout_ends_the_order() -> None:
    timed_out = ev("OrderTimedOut", 610, "e-timeout", reason="barista_timeout")
    cancelled = ev("OrderCancelled", 620, "e-cancel", reason="barista: spilt")
    assert same_in_every_order(STARTED, PLACED, timed_out, cancelled).reason == "barista: spilt"
    alone = derive(STARTED, PLACED, timed_out)
    assert (alone.status, alone.reason, alone.deadline) == (OrderStatus.TIMED_OUT, "barista_timeout", None)


def test_a_customer_cancel_counts_even_when_a_claim_made_offline_came_first() -> None:
    claim = ev("OrderClaimed", 20, "e-claim", barista="Bo")
    cancel = ev("OrderCancelled", 30, "e-cancel", reason="customer")
    state = same_in_every_order(STARTED, PLACED, claim, cancel)
    assert (state.status, state.reason, state.barista) == (OrderStatus.CANCELLED, "customer", "Bo")


def test_an_order_once_ended_is_never_open_again_whatever_arrives() -> None:
    done = ev("OrderCompleted", 30, "e-done", barista="Bo")
    late = (ev("OrderClaimed", 40, "e-c", barista="Cy"), ev("OrderUnclaimed", 50, "e-u", barista="Cy"))
    state = same_in_every_order(STARTED, PLACED, done, *late)
    assert state.status is OrderStatus.COMPLETED and not state.is_open
    assert state.updated_at == at(50)


def test_the_api_view_of_an_order() -> None:
    state = derive(STARTED, PLACED, ev("OrderClaimed", 20, "e-claim", barista="Bo"))
    assert state.to_api() == {
        "id": "o1",
        "store": "booth",
        "number": 7,
        "state": "making",
        "customer_name": "Ada",
        "item": "latte",
        "options": {"milk": "Oat"},
        "barista": "Bo",
        "created_at": "2026-11-27T09:00:00Z",
        "updated_at": "2026-11-27T09:00:20Z",
        "deadline": "2026-11-27T09:10:10Z",
        "reason": None,
        "origin": "backend",
    }


def test_timeouts_come_from_the_store_config() -> None:
    config = StoreConfig(customer_timeout_s=5, barista_timeout_s=7.5)
    assert Timeouts.of(config) == Timeouts(5, 7.5)
    state = order_from_events("o1", "booth", (STARTED, PLACED), Timeouts.of(config))
    assert state.deadline == at(17.5)

"""The decider: every rule and every rejection, with API.md's error codes."""

from __future__ import annotations

import pytest

from core import commands as c
from core.decider import CodeVerdict
from core.errors import ErrorCode, Rejected
from core.menu import Menu
from core.orders import OrderStatus
from tests.core.conftest import MENU, Stall, seconds, store_config


def rejected(stall: Stall, command: c.Command, code: CodeVerdict | None = CodeVerdict.VALID) -> ErrorCode:
    """The code a command is refused with; and a refusal records nothing."""
    before = (len(stall.log), stall.projection.event_count, stall.projection.open_count)
    with pytest.raises(Rejected) as caught:
        stall.do(command, code=code)
    assert (len(stall.log), stall.projection.event_count, stall.projection.open_count) == before
    return caught.value.code


# -- starting an order ----------------------------------------------------------------


def test_start_records_a_started_order_with_the_customer_deadline(stall: Stall) -> None:
    (event,) = stall.do(c.StartOrder("  Ada Lovelace ", "phone-1"))
    assert event.type == "OrderStarted"
    assert event.data == {"customer_name": "Ada Lovelace", "customer_id": "phone-1", "walkup": False}
    order = stall.order(event.order_id or "")
    assert order.status is OrderStatus.STARTED
    assert (order.number, order.item, order.barista, order.reason) == (None, None, None, None)
    assert order.deadline == stall.clock.now() + seconds(60)


def _fill_queue(stall: Stall) -> None:
    for i in range(stall.config.max_queue - stall.projection.open_count):
        stall.start(f"guest {i}")


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        ({"name": " ", "closed": True, "code": CodeVerdict.INVALID, "full": True}, "validation_error"),
        ({"closed": True, "code": CodeVerdict.INVALID, "full": True, "limit": True}, "store_closed"),
        ({"code": CodeVerdict.INVALID, "full": True, "limit": True}, "invalid_code"),
        ({"code": None, "full": True}, "invalid_code"),
        ({"code": CodeVerdict.EXHAUSTED, "full": True, "limit": True}, "code_exhausted"),
        ({"full": True, "limit": True}, "store_full"),
        ({"limit": True}, "order_limit"),
    ],
)
def test_start_checks_its_rules_in_the_order_api_md_gives(situation: dict, expected: str) -> None:
    stall = Stall(config=store_config(max_open_orders_per_customer=1))
    if situation.get("limit"):
        stall.start("Ada", customer_id="phone-1")
    if situation.get("full"):
        _fill_queue(stall)
    if situation.get("closed"):
        stall.do(c.CloseStore(), actor="barista")
    command = c.StartOrder(situation.get("name", "Ada"), "phone-1")
    assert rejected(stall, command, code=situation.get("code", CodeVerdict.VALID)) == expected


@pytest.mark.parametrize("name", ["", "   ", "\x1b[31m\x07", "\u202e\u2066", "x" * 41])
def test_a_name_that_cleans_to_nothing_or_is_too_long_is_refused(stall: Stall, name: str) -> None:
    assert rejected(stall, c.StartOrder(name)) is ErrorCode.VALIDATION_ERROR


def test_a_name_is_kept_literally_and_counted_in_code_points(stall: Stall) -> None:
    name = "[bold red]é<b>" + "☕" * 26  # 40 code points, many more bytes
    order = stall.order(stall.start(name))
    assert order.customer_name == name


def test_an_over_long_customer_id_is_refused_and_an_empty_one_is_no_id(stall: Stall) -> None:
    assert rejected(stall, c.StartOrder("Ada", "x" * 101)) is ErrorCode.VALIDATION_ERROR
    assert stall.order(stall.start("Ada", customer_id="")).customer_id is None
    assert stall.order(stall.start("Bob", customer_id="")).customer_id is None  # not limited


def test_the_queue_counts_every_open_order_and_frees_a_place_when_one_ends(stall: Stall) -> None:
    first = stall.place()
    stall.do(c.ClaimOrder(first, "Bo"), actor="Bo")
    stall.do(c.WalkUp("Cy", "americano"), actor="Bo")
    for i in range(stall.config.max_queue - 2):
        stall.start(f"guest {i}")
    assert rejected(stall, c.StartOrder("Dee")) is ErrorCode.STORE_FULL
    stall.do(c.CompleteOrder(first, "Bo"), actor="Bo")
    assert stall.start("Dee")


def test_one_customer_id_holds_at_most_its_limit_of_open_orders() -> None:
    stall = Stall(config=store_config(max_open_orders_per_customer=2))
    first = stall.start("Ada", customer_id="phone-1")
    stall.start("Ada", customer_id="phone-1")
    assert rejected(stall, c.StartOrder("Ada", "phone-1")) is ErrorCode.ORDER_LIMIT
    assert stall.start("Bob", customer_id="phone-2")  # another customer is not limited
    assert stall.start("Anon") and stall.start("Anon")  # no customer id: no limit
    stall.do(c.CancelOrder(first, "customer"))
    assert stall.start("Ada", customer_id="phone-1")


# -- choosing the drink ----------------------------------------------------------------


def test_choosing_a_drink_places_the_order_with_a_number_and_the_barista_deadline(stall: Stall) -> None:
    order_id = stall.start()
    stall.later(30)
    (placed,) = stall.do(c.ChooseDrink(order_id, "latte", {"milk": "oAT"}))
    assert placed.data == {"number": 1, "item": "latte", "options": {"milk": "Oat", "size": "Small"}}
    order = stall.order(order_id)
    assert (order.status, order.number, order.item) == (OrderStatus.QUEUED, 1, "latte")
    assert order.options == {"milk": "Oat", "size": "Small"}
    assert order.deadline == stall.clock.now() + seconds(600)
    assert stall.order(stall.place("americano")).number == 2


@pytest.mark.parametrize(
    ("item", "options"),
    [
        ("mocha", {}),
        ("flat-white", {"sugar": "yes"}),
        ("flat-white", {"milk": "Goat"}),
        ("americano", {"milk": "Oat"}),
        ("flat-white", {"milk": 3}),
    ],
)
def test_a_drink_off_the_menu_is_a_validation_error(stall: Stall, item: str, options: dict) -> None:
    order_id = stall.start()
    assert rejected(stall, c.ChooseDrink(order_id, item, options)) is ErrorCode.VALIDATION_ERROR
    assert stall.order(order_id).status is OrderStatus.STARTED


def test_a_drink_that_has_run_out_is_a_validation_error(stall: Stall) -> None:
    stall.do(c.SetItemStock("latte", False), actor="barista")
    stall.do(c.SetChoiceStock("milk", "oat", False), actor="barista")
    order_id = stall.start()
    assert rejected(stall, c.ChooseDrink(order_id, "latte")) is ErrorCode.VALIDATION_ERROR
    assert rejected(stall, c.ChooseDrink(order_id, "flat-white", {"milk": "Oat"})) == "validation_error"
    stall.do(c.ChooseDrink(order_id, "flat-white", {"milk": "soy"}))
    assert stall.order(order_id).options == {"milk": "Soy"}


def test_a_left_out_option_whose_default_ran_out_must_be_chosen(stall: Stall) -> None:
    stall.do(c.SetChoiceStock("milk", "Whole", False), actor="barista")
    order_id = stall.start()
    assert rejected(stall, c.ChooseDrink(order_id, "flat-white")) is ErrorCode.VALIDATION_ERROR
    stall.do(c.ChooseDrink(order_id, "flat-white", {"milk": "Oat"}))
    assert stall.order(order_id).status is OrderStatus.QUEUED


def test_only_a_started_order_takes_a_drink(stall: Stall) -> None:
    order_id = stall.place()
    assert rejected(stall, c.ChooseDrink(order_id, "latte")) is ErrorCode.INVALID_TRANSITION
    cancelled = stall.start("Bob")
    stall.do(c.CancelOrder(cancelled, "customer"))
    assert rejected(stall, c.ChooseDrink(cancelled, "latte")) is ErrorCode.INVALID_TRANSITION
    assert rejected(stall, c.ChooseDrink("no-such-order", "latte")) is ErrorCode.NOT_FOUND


def test_placing_needs_the_next_number_from_the_context(stall: Stall) -> None:
    from dataclasses import replace

    from core.decider import decide

    order_id = stall.start()
    ctx = replace(stall.context(), number=None)
    with pytest.raises(ValueError, match="number"):
        decide(c.ChooseDrink(order_id, "latte"), stall.projection, ctx)


# -- claiming, unclaiming, completing -------------------------------------------------


def test_a_claim_makes_the_order_without_moving_its_deadline(stall: Stall) -> None:
    order_id = stall.place()
    deadline = stall.order(order_id).deadline
    stall.later(100)
    (claimed,) = stall.do(c.ClaimOrder(order_id, " Bo\x1b[1m "), actor="Bo")
    assert claimed.data == {"barista": "Bo"}
    order = stall.order(order_id)
    assert (order.status, order.barista, order.deadline) == (OrderStatus.MAKING, "Bo", deadline)
    assert order.claimed_at == stall.clock.now()


def test_claiming_again_is_nothing_new_and_another_barista_gets_already_claimed(stall: Stall) -> None:
    order_id = stall.place()
    stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo")
    assert stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo") == []
    assert rejected(stall, c.ClaimOrder(order_id, "Cy")) is ErrorCode.ALREADY_CLAIMED


@pytest.mark.parametrize("command", [c.ClaimOrder, c.UnclaimOrder, c.CompleteOrder])
def test_barista_steps_need_a_queued_or_making_order(stall: Stall, command: type) -> None:
    started = stall.start()
    assert rejected(stall, command(started, "Bo")) is ErrorCode.INVALID_TRANSITION
    done = stall.place(customer_id=None, name="Bob")
    stall.do(c.CompleteOrder(done, "Bo"), actor="Bo")
    assert rejected(stall, command(done, "Bo")) is ErrorCode.INVALID_TRANSITION
    assert rejected(stall, command("no-such-order", "Bo")) is ErrorCode.NOT_FOUND
    assert rejected(stall, command(stall.place(name="Cy"), "  ")) is ErrorCode.VALIDATION_ERROR


def test_unclaim_puts_the_order_back_and_only_its_holder_may(stall: Stall) -> None:
    order_id = stall.place()
    deadline = stall.order(order_id).deadline
    assert rejected(stall, c.UnclaimOrder(order_id, "Bo")) is ErrorCode.INVALID_TRANSITION  # queued
    stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo")
    assert rejected(stall, c.UnclaimOrder(order_id, "Cy")) is ErrorCode.ALREADY_CLAIMED
    stall.do(c.UnclaimOrder(order_id, "Bo"), actor="Bo")
    order = stall.order(order_id)
    assert (order.status, order.barista, order.claimed_at, order.deadline) == (
        OrderStatus.QUEUED,
        None,
        None,
        deadline,
    )
    stall.do(c.ClaimOrder(order_id, "Cy"), actor="Cy")
    assert stall.order(order_id).barista == "Cy"


def test_complete_works_from_making_and_straight_from_queued(stall: Stall) -> None:
    claimed, rushed = stall.place(), stall.place(name="Bob")
    stall.do(c.ClaimOrder(claimed, "Bo"), actor="Bo")
    stall.do(c.CompleteOrder(claimed, "Cy"), actor="Cy")  # a colleague may finish it
    stall.do(c.CompleteOrder(rushed, "Bo"), actor="Bo")
    for order_id, barista in ((claimed, "Cy"), (rushed, "Bo")):
        order = stall.order(order_id)
        assert (order.status, order.barista, order.deadline) == (OrderStatus.COMPLETED, barista, None)
        assert order.ended_at == stall.clock.now()


# -- cancelling ------------------------------------------------------------------------


def test_the_customer_cancels_while_started_or_queued_only(stall: Stall) -> None:
    started, queued, making = stall.start(), stall.place(name="Bob"), stall.place(name="Cy")
    stall.do(c.ClaimOrder(making, "Bo"), actor="Bo")
    for order_id in (started, queued):
        stall.do(c.CancelOrder(order_id, "customer", reason="changed my mind"))
        order = stall.order(order_id)
        assert (order.status, order.reason, order.deadline) == (OrderStatus.CANCELLED, "customer", None)
    assert rejected(stall, c.CancelOrder(making, "customer")) is ErrorCode.INVALID_TRANSITION
    assert rejected(stall, c.CancelOrder(started, "customer")) is ErrorCode.INVALID_TRANSITION


@pytest.mark.parametrize(
    ("reason", "recorded"),
    [(None, "barista"), ("  ", "barista"), ("out of oat\x1b[5m milk", "barista: out of oat milk")],
)
def test_a_barista_cancels_in_any_open_state_with_a_reason(
    stall: Stall, reason: str | None, recorded: str
) -> None:
    started, queued, making = stall.start(), stall.place(name="Bob"), stall.place(name="Cy")
    stall.do(c.ClaimOrder(making, "Bo"), actor="Bo")
    for order_id in (started, queued, making):
        stall.do(c.CancelOrder(order_id, "barista", reason=reason), actor="Bo")
        assert (stall.order(order_id).status, stall.order(order_id).reason) == ("cancelled", recorded)


def test_no_one_cancels_an_ended_order_and_a_long_reason_is_refused(stall: Stall) -> None:
    done = stall.place()
    assert rejected(stall, c.CancelOrder(done, "barista", "x" * 201)) is ErrorCode.VALIDATION_ERROR
    stall.do(c.CompleteOrder(done, "Bo"), actor="Bo")
    for by in ("customer", "barista"):
        assert rejected(stall, c.CancelOrder(done, by)) is ErrorCode.INVALID_TRANSITION  # type: ignore[arg-type]
    assert rejected(stall, c.CancelOrder("no-such-order", "barista")) is ErrorCode.NOT_FOUND


# -- timeouts ----------------------------------------------------------------------------


def test_no_drink_is_taken_once_the_customer_deadline_has_passed(stall: Stall) -> None:
    late, in_time = stall.start(), stall.start("Bob")
    stall.later(59.999)
    stall.do(c.ChooseDrink(in_time, "latte"))
    stall.later(0.001)
    assert rejected(stall, c.ChooseDrink(late, "latte")) is ErrorCode.INVALID_TRANSITION
    assert stall.order(late).status is OrderStatus.STARTED  # until the sweeper records it


def test_a_started_order_times_out_after_the_customer_timeout(stall: Stall) -> None:
    order_id = stall.start()
    stall.later(59.999)
    assert rejected(stall, c.TimeOutOrder(order_id)) is ErrorCode.INVALID_TRANSITION
    stall.later(0.001)  # exactly at the deadline
    (event,) = stall.do(c.TimeOutOrder(order_id), actor="system")
    assert event.data == {"reason": "customer_timeout"}
    order = stall.order(order_id)
    assert (order.status, order.reason, order.deadline) == (OrderStatus.TIMED_OUT, "customer_timeout", None)
    assert rejected(stall, c.TimeOutOrder(order_id)) is ErrorCode.INVALID_TRANSITION
    assert rejected(stall, c.ChooseDrink(order_id, "latte")) is ErrorCode.INVALID_TRANSITION


def test_the_barista_deadline_runs_from_placing_and_claims_do_not_move_it(stall: Stall) -> None:
    order_id = stall.start()
    stall.later(50)
    stall.do(c.ChooseDrink(order_id, "americano"))
    stall.later(599)
    stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo")
    stall.do(c.UnclaimOrder(order_id, "Bo"), actor="Bo")
    stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo")
    assert rejected(stall, c.TimeOutOrder(order_id)) is ErrorCode.INVALID_TRANSITION
    stall.later(1)
    stall.do(c.TimeOutOrder(order_id), actor="system")
    order = stall.order(order_id)
    assert (order.status, order.reason) == (OrderStatus.TIMED_OUT, "barista_timeout")
    assert rejected(stall, c.CompleteOrder(order_id, "Bo")) is ErrorCode.INVALID_TRANSITION


def test_timing_out_an_unknown_or_ended_order_is_refused(stall: Stall) -> None:
    order_id = stall.place()
    stall.do(c.CompleteOrder(order_id, "Bo"), actor="Bo")
    stall.later(10_000)
    assert rejected(stall, c.TimeOutOrder(order_id)) is ErrorCode.INVALID_TRANSITION
    assert rejected(stall, c.TimeOutOrder("no-such-order")) is ErrorCode.NOT_FOUND


# -- walk-ups ---------------------------------------------------------------------------


def test_a_walk_up_is_started_and_placed_at_once_without_a_code(stall: Stall) -> None:
    started, placed = stall.do(c.WalkUp(" Eve ", "latte", {"size": "LARGE"}), actor="Bo", code=None)
    assert (started.type, placed.type, started.order_id) == ("OrderStarted", "OrderPlaced", placed.order_id)
    assert started.data == {"customer_name": "Eve", "walkup": True}
    order = stall.order(placed.order_id or "")
    assert (order.status, order.number, order.walkup) == (OrderStatus.QUEUED, 1, True)
    assert order.options == {"milk": "Whole", "size": "Large"}


def test_a_walk_up_is_never_refused_for_a_full_queue_but_is_for_a_closed_store(stall: Stall) -> None:
    _fill_queue(stall)
    stall.do(c.WalkUp("Eve", "americano"), actor="Bo")
    assert stall.projection.open_count == stall.config.max_queue + 1
    stall.do(c.CloseStore(), actor="Bo")
    assert rejected(stall, c.WalkUp("Eve", "americano")) is ErrorCode.STORE_CLOSED
    assert rejected(stall, c.WalkUp("", "americano")) is ErrorCode.VALIDATION_ERROR  # validation first
    assert rejected(stall, c.WalkUp("Eve", "mocha")) is ErrorCode.VALIDATION_ERROR


# -- the store: open, close, menu, stock ---------------------------------------------------


def test_open_and_close_record_only_a_change() -> None:
    stall = Stall(config=store_config(open=False))
    assert rejected(stall, c.StartOrder("Ada")) is ErrorCode.STORE_CLOSED
    assert stall.do(c.CloseStore(), actor="Bo") == []
    assert [e.type for e in stall.do(c.OpenStore(), actor="Bo")] == ["StoreOpened"]
    assert stall.do(c.OpenStore(), actor="Bo") == []
    assert stall.projection.is_open


def test_closing_stops_new_orders_but_open_orders_carry_on(stall: Stall) -> None:
    started, queued = stall.start(), stall.place(name="Bob")
    stall.do(c.CloseStore(), actor="Bo")
    assert rejected(stall, c.StartOrder("Cy")) is ErrorCode.STORE_CLOSED
    stall.do(c.ChooseDrink(started, "americano"))
    stall.do(c.ClaimOrder(queued, "Bo"), actor="Bo")
    stall.do(c.CompleteOrder(queued, "Bo"), actor="Bo")
    assert stall.order(started).status is OrderStatus.QUEUED
    assert stall.order(queued).status is OrderStatus.COMPLETED


def test_a_new_menu_is_recorded_once_and_decides_later_orders(stall: Stall) -> None:
    only_americano = Menu(items=MENU[2:])
    (changed,) = stall.do(c.ChangeMenu(only_americano), actor="admin")
    assert changed.type == "MenuChanged" and stall.projection.menu == only_americano
    assert stall.do(c.ChangeMenu(only_americano), actor="admin") == []
    order_id = stall.start()
    assert rejected(stall, c.ChooseDrink(order_id, "latte")) is ErrorCode.VALIDATION_ERROR


def test_item_stock_goes_out_and_back_and_no_change_records_nothing(stall: Stall) -> None:
    assert [e.type for e in stall.do(c.SetItemStock("latte", False), actor="Bo")] == ["MenuChanged"]
    assert stall.projection.menu.item("latte").available is False  # type: ignore[union-attr]
    assert stall.do(c.SetItemStock("latte", False), actor="Bo") == []
    stall.do(c.SetItemStock("latte", True), actor="Bo")
    assert stall.projection.menu == Menu(items=MENU)
    assert rejected(stall, c.SetItemStock("mocha", False)) is ErrorCode.VALIDATION_ERROR


def test_a_choice_runs_out_in_every_item_that_offers_it(stall: Stall) -> None:
    stall.do(c.SetChoiceStock("milk", "OAT", False), actor="Bo")
    menu = stall.projection.menu
    for item_id in ("flat-white", "latte"):
        assert menu.item(item_id).option("milk").unavailable == ("Oat",)  # type: ignore[union-attr]
    assert stall.do(c.SetChoiceStock("milk", "oat", False), actor="Bo") == []
    stall.do(c.SetChoiceStock("milk", "Oat", True), actor="Bo")
    assert stall.projection.menu == Menu(items=MENU)
    assert rejected(stall, c.SetChoiceStock("milk", "Goat", False)) is ErrorCode.VALIDATION_ERROR
    assert rejected(stall, c.SetChoiceStock("sugar", "Oat", False)) is ErrorCode.VALIDATION_ERROR


def test_every_event_carries_the_context_envelope(stall: Stall) -> None:
    stall.clock.advance(5)
    events = stall.do(c.WalkUp("Eve", "americano"), actor="Bo")
    for event in events:
        assert (event.store, event.actor, event.origin, event.time) == (
            "booth",
            "Bo",
            "backend",
            stall.clock.now(),
        )
        assert event.causation_id is not None and event.causation_id.startswith("cmd-")
    assert len({e.id for e in events}) == 2

"""The projection: a store's state kept current one event at a time, in any order."""

from __future__ import annotations

import random

from core import commands as c
from core.events import Event
from core.menu import Menu
from core.orders import OrderStatus
from core.projection import Projection
from tests.core.conftest import MENU, Stall, store_config


def _busy_stall() -> Stall:
    stall = Stall()
    done = stall.place("latte", customer_id="p1")
    stall.do(c.ClaimOrder(done, "Bo"), actor="Bo")
    stall.do(c.CompleteOrder(done, "Bo"), actor="Bo")
    making = stall.place(name="Bob", customer_id="p2")
    stall.do(c.ClaimOrder(making, "Cy"), actor="Cy")
    stall.start("Cy", customer_id="p3")
    stall.do(c.WalkUp("Di", "americano"), actor="Bo")
    stall.do(c.SetChoiceStock("milk", "Oat", False), actor="Bo")
    stall.do(c.CloseStore(), actor="Bo")
    return stall


def test_applying_the_log_in_any_order_gives_the_same_store() -> None:
    stall = _busy_stall()
    for seed in range(20):
        shuffled = list(stall.log)
        random.Random(seed).shuffle(shuffled)
        replica = Projection("booth", stall.config)
        replica.apply_all(shuffled)
        assert {o.id: o for o in replica.orders()} == {o.id: o for o in stall.projection.orders()}
        assert (replica.is_open, replica.menu, replica.open_count) == (False, stall.projection.menu, 3)
        assert replica.last_seq == len(stall.log) and replica.event_count == len(stall.log)
        assert {o.id for o in replica.open_orders()} == {o.id for o in stall.projection.open_orders()}


def test_loading_a_log_at_once_gives_the_same_store_as_applying_it() -> None:
    stall = _busy_stall()
    for seed in range(20):
        shuffled = list(stall.log)
        random.Random(seed).shuffle(shuffled)
        half = len(shuffled) // 2
        applied, loaded = Projection("booth", stall.config), Projection("booth", stall.config)
        applied.apply_all(shuffled)
        loaded.load(shuffled[:half] + shuffled[: half // 2])  # a repeat changes nothing
        loaded.load(shuffled[half // 2 :])  # on top of what it holds, with repeats
        assert list(loaded.orders()) == list(applied.orders())  # the same orders, same order
        assert {o.id for o in loaded.open_orders()} == {o.id for o in applied.open_orders()}
        assert loaded.status == applied.status
        assert (loaded.last_seq, loaded.event_count) == (applied.last_seq, applied.event_count)
        assert all(loaded.open_orders_of(p) == applied.open_orders_of(p) for p in ("p1", "p2", "p3"))


def _adopting_matches_applying(stall: Stall, held: list[Event], batch: list[Event]) -> None:
    writer = Projection("booth", stall.config)
    writer.apply_all(held + batch)
    applied, adopting = Projection("booth", stall.config), Projection("booth", stall.config)
    applied.apply_all(held)
    adopting.apply_all(held)
    changes = applied.apply_all(batch)
    changed = adopting.adopt(batch, writer.states_of(batch))
    assert list(adopting.orders()) == list(applied.orders())
    assert {o.id for o in adopting.open_orders()} == {o.id for o in applied.open_orders()}
    assert adopting.status == applied.status
    assert (adopting.last_seq, adopting.event_count) == (applied.last_seq, applied.event_count)
    assert all(adopting.open_orders_of(p) == applied.open_orders_of(p) for p in ("p1", "p2", "p3"))
    final = applied.states_of(batch)
    assert {o.id: o for o in changed} == {c.after.id: final[c.after.id] for c in changes}


def test_adopting_another_projections_orders_gives_the_same_store_as_applying() -> None:
    """The read side takes the writer's states for each committed batch: whatever it held
    before, it ends as applying the batch would leave it."""
    stall = _busy_stall()
    log = list(stall.log)
    for cut in range(len(log)):  # the read side holds a prefix of the log (the server)
        for end in range(cut + 1, len(log) + 1):
            _adopting_matches_applying(stall, log[:cut], log[cut:end])
    for seed in range(20):  # any part of it, and the batch repeats some of that
        shuffled = list(log)
        random.Random(seed).shuffle(shuffled)
        half = len(shuffled) // 2
        _adopting_matches_applying(stall, shuffled[:half], shuffled[half // 2 :])


def test_a_copy_holds_the_same_store_and_goes_its_own_way() -> None:
    stall = _busy_stall()
    original = Projection("booth", stall.config)
    original.apply_all(stall.log[:-3])
    twin = original.copy()
    twin.apply_all(stall.log[-3:])
    assert (original.last_seq, original.is_open) == (len(stall.log) - 3, True)
    assert (twin.last_seq, twin.is_open) == (len(stall.log), False)
    assert list(twin.orders()) == list(stall.projection.orders())
    assert twin.open_orders_of("p3") == 1 and original.open_orders_of("p3") == 1
    assert {o.id for o in twin.open_orders()} == {o.id for o in stall.projection.open_orders()}


def test_counts_by_status_and_by_customer() -> None:
    projection = _busy_stall().projection
    assert projection.count(OrderStatus.STARTED) == 1
    assert projection.count(OrderStatus.QUEUED) == 1  # the walk-up
    assert projection.count(OrderStatus.MAKING) == 1
    assert [projection.open_orders_of(p) for p in ("p1", "p2", "p3", "nobody")] == [0, 1, 1, 0]


def test_applying_an_event_again_changes_nothing_and_reports_no_change() -> None:
    stall = _busy_stall()
    replica = Projection("booth", stall.config)
    replica.apply_all(stall.log)
    for event in stall.log:
        assert replica.has_event(event)
        assert replica.apply(event) is None
    assert replica.event_count == len(stall.log) and replica.open_count == 3


def test_each_order_event_reports_the_order_before_and_after() -> None:
    stall = Stall()
    order_id = stall.place()
    (claimed,) = stall.do(c.ClaimOrder(order_id, "Bo"), actor="Bo")
    replica = Projection("booth", stall.config)
    first, placed = replica.apply_all(stall.log[:2])
    assert first.before is None and first.after.status is OrderStatus.STARTED
    assert placed.before is not None and placed.before.status is OrderStatus.STARTED
    change = replica.apply(claimed)
    assert change is not None and change.event == claimed
    assert (change.before.status, change.after.status) == ("queued", "making")  # type: ignore[union-attr]


def test_an_order_known_only_by_stray_events_is_not_shown() -> None:
    stall = Stall()
    order_id = stall.place()
    replica = Projection("booth", stall.config)
    replica.apply(stall.log[1])  # OrderPlaced before its OrderStarted
    assert replica.order(order_id) is None and list(replica.orders()) == []
    assert replica.open_count == 0 and replica.has_event(stall.log[1])
    change = replica.apply(stall.log[0])
    assert change is not None and change.before is None and change.after.status is OrderStatus.QUEUED


def test_config_seeds_a_store_without_events_and_the_log_wins_after() -> None:
    projection = Projection("booth", store_config(open=False, menu=MENU[:1]))
    assert (projection.is_open, projection.menu) == (False, Menu(items=MENU[:1]))
    stall = Stall(config=store_config(open=True))
    stall.do(c.ChangeMenu(Menu(items=MENU[2:])), actor="admin")
    stall.do(c.CloseStore(), actor="Bo")
    stall.do(c.OpenStore(), actor="Bo")
    projection.apply_all(stall.log)
    assert (projection.is_open, projection.menu) == (True, Menu(items=MENU[2:]))

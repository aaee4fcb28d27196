"""The store's own state: open or closed and the menu, latest event wins."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from core.events import Event, EventType, MenuChangedData, make_event
from core.menu import Menu, MenuItem
from core.store_state import StoreStatus, evolve_store

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
ESPRESSO = MenuItem(id="espresso", name="Espresso")
AMERICANO = MenuItem(id="americano", name="Americano")


def store_event(type_: EventType, t: float, id_: str, menu: tuple[MenuItem, ...] | None = None) -> Event:
    data = MenuChangedData(menu=menu) if menu is not None else None
    return make_event(
        type_, store="booth", time=T0 + timedelta(seconds=t), actor="Bo", origin="backend", data=data, id=id_
    )


def fold(events: tuple[Event, ...], seed: StoreStatus | None = None) -> StoreStatus:
    status = seed or StoreStatus()
    for event in events:
        status = evolve_store(status, event)
    return status


def test_the_latest_open_or_close_decides_whatever_order_they_arrive_in() -> None:
    events = (
        store_event("StoreOpened", 1, "a"),
        store_event("StoreClosed", 2, "b"),
        store_event("StoreOpened", 3, "c"),
    )
    for arrival in itertools.permutations(events):
        assert fold(arrival).open is True
    closed_last = (*events, store_event("StoreClosed", 4, "d"))
    for arrival in itertools.permutations(closed_last):
        assert fold(arrival).open is False


def test_same_time_open_and_close_are_settled_by_the_larger_id() -> None:
    opened, closed = store_event("StoreOpened", 5, "id-b"), store_event("StoreClosed", 5, "id-a")
    assert fold((opened, closed)).open is True
    assert fold((closed, opened)).open is True


def test_the_latest_menu_wins_and_seeds_from_config_are_older_than_any_event() -> None:
    seed = StoreStatus(open=True, menu=Menu(items=(ESPRESSO,)))
    first = store_event("MenuChanged", 1, "m1", menu=(AMERICANO,))
    second = store_event("MenuChanged", 2, "m2", menu=(ESPRESSO, AMERICANO))
    for arrival in itertools.permutations((first, second)):
        status = fold(arrival, seed)
        assert status.menu == Menu(items=(ESPRESSO, AMERICANO))
        assert status.open is True  # menu events leave open/closed alone
    assert fold((store_event("StoreClosed", 0, "c"),), seed).open is False


def test_a_repeated_event_changes_nothing() -> None:
    closed = store_event("StoreClosed", 1, "c")
    once = fold((closed,), StoreStatus(open=True))
    assert fold((closed, closed), StoreStatus(open=True)) == once
    assert evolve_store(once, closed) is once

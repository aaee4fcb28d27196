"""A lane's cards stay sorted as orders come and go, and the cursor behaves in a rush."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from barista_tui.board import Card, Lane
from barista_tui.lane_cards import LaneCards

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def card(number: int, minute: int, barista: str | None = None) -> Card:
    since = T0 + timedelta(minutes=minute)
    return Card(
        order_id=f"o{number}",
        lane=Lane.QUEUE,
        number=number,
        name="x",
        drink="Espresso",
        options="",
        barista=barista,
        mine=False,
        since=since,
        sort_key=(since.timestamp(), number, f"o{number}"),
    )


def numbers(lane: LaneCards) -> list[int | None]:
    return [c.number for c in (lane.card(i) for i in lane.ids) if c is not None]


def test_cards_stay_in_order_whatever_order_they_arrive_in() -> None:
    lane = LaneCards()
    for number, minute in ((3, 3), (1, 1), (4, 4), (2, 2)):
        assert lane.put(card(number, minute))
    assert numbers(lane) == [1, 2, 3, 4]
    assert not lane.put(card(2, 2))  # the same card again: nothing to redraw
    assert lane.put(card(2, 2, barista="Bob"))  # changed in place
    assert numbers(lane) == [1, 2, 3, 4] and lane.index_of("o2") == 1
    assert lane.put(card(1, 5))  # moved: now the newest
    assert numbers(lane) == [2, 3, 4, 1]


def test_the_first_card_of_an_empty_lane_takes_the_cursor() -> None:
    lane = LaneCards()
    assert lane.cursor_card is None
    lane.put(card(7, 7))
    assert lane.cursor_id == "o7"


def test_when_the_selected_card_leaves_the_next_in_line_takes_the_cursor() -> None:
    lane = LaneCards()
    lane.replace_all([card(n, n) for n in range(1, 6)])
    lane.select_index(1)  # #2
    lane.drop("o2")
    assert lane.cursor_id == "o3"
    lane.select_index(3)  # #5, the last
    lane.drop("o5")
    assert lane.cursor_id == "o4"  # no next one: the one before
    for order_id in ("o1", "o3", "o4"):
        lane.drop(order_id)
    assert lane.cursor_id is None and len(lane) == 0
    assert not lane.drop("o1")


def test_the_cursor_moves_within_bounds_and_stays_on_its_order_as_others_arrive() -> None:
    lane = LaneCards()
    lane.replace_all([card(n, n) for n in (2, 3)])
    lane.move_cursor(-1)
    assert lane.cursor_id == "o2"
    lane.move_cursor(5)
    assert lane.cursor_id == "o3"
    lane.put(card(1, 1))  # an older order shows up (synced late): the cursor stays on #3
    assert lane.cursor_id == "o3" and lane.cursor_index == 2

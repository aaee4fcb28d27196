"""Events: the envelope, the ten types, and checking events that come from outside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from core.events import (
    EVENT_TYPES,
    ORDER_EVENT_TYPES,
    STORE_EVENT_TYPES,
    Event,
    EventDataError,
    OrderClaimedData,
    check_event,
    event_from_json,
    event_to_json,
    make_event,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def envelope(**fields: object) -> dict:
    base = {
        "id": "e1",
        "store": "booth",
        "type": "OrderClaimed",
        "time": "2026-11-27T09:00:00Z",
        "order_id": "o1",
        "actor": "Bo",
        "origin": "tablet",
        "data": {"barista": "Bo"},
    }
    return {**base, **fields}


def test_the_ten_types_of_api_md() -> None:
    assert set(EVENT_TYPES) == {
        "OrderStarted",
        "OrderPlaced",
        "OrderClaimed",
        "OrderUnclaimed",
        "OrderCompleted",
        "OrderCancelled",
        "OrderTimedOut",
        "StoreOpened",
        "StoreClosed",
        "MenuChanged",
    }
    assert set(EVENT_TYPES) == ORDER_EVENT_TYPES | STORE_EVENT_TYPES
    assert {"StoreOpened", "StoreClosed", "MenuChanged"} == STORE_EVENT_TYPES


def test_an_event_is_born_with_an_id_and_no_seq_and_gets_its_seq_when_stored() -> None:
    event = make_event(
        "OrderClaimed",
        store="booth",
        time=T0,
        actor="Bo",
        origin="backend",
        order_id="o1",
        data=OrderClaimedData(barista="Bo"),
    )
    assert event.id and event.seq is None and event.data == {"barista": "Bo"}
    stored = event.with_seq(42)
    assert stored.seq == 42 and stored.id == event.id and event.seq is None
    assert make_event("StoreOpened", store="booth", time=T0, actor="Bo", origin="b").id != event.id


def test_times_must_carry_a_zone_and_are_kept_in_utc() -> None:
    plus_two = datetime(2026, 11, 27, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    assert Event.model_validate(envelope(time=plus_two)).time == T0
    assert Event.model_validate(envelope(time=plus_two)).time.tzinfo == UTC
    with pytest.raises(ValidationError, match="timezone"):
        Event.model_validate(envelope(time="2026-11-27T09:00:00"))


def test_the_envelope_refuses_an_unknown_type_and_ignores_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        Event.model_validate(envelope(type="OrderTeleported"))
    assert not hasattr(Event.model_validate(envelope(colour="red")), "colour")


def test_json_round_trip_keeps_every_field() -> None:
    event = Event.model_validate(envelope(seq=7, causation_id="req-1")).with_seq(8)
    assert event_from_json(event_to_json(event)) == event


def test_the_agreed_order_is_time_then_id() -> None:
    a, b = Event.model_validate(envelope(id="b")), Event.model_validate(envelope(id="a"))
    later = Event.model_validate(envelope(id="0", time="2026-11-27T09:00:01Z"))
    assert sorted([later, a, b], key=lambda e: e.sort_key) == [b, a, later]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"order_id": None}, "has no order_id"),
        ({"data": {}}, "Field required"),
        ({"data": {"barista": ""}}, "at least 1 character"),
        ({"data": {"barista": "Bo", "extra": 1}}, "Extra inputs"),
        ({"type": "OrderPlaced", "data": {"number": 0, "item": "latte"}}, "greater than or equal to 1"),
        ({"type": "OrderTimedOut", "data": {"reason": "bored"}}, "customer_timeout"),
        ({"type": "OrderStarted", "data": {"customer_name": "x" * 41}}, "at most 40"),
        ({"type": "MenuChanged", "order_id": None, "data": {"menu": [{"id": "x"}]}}, "Field required"),
    ],
)
def test_an_event_from_outside_must_fit_its_type(fields: dict, message: str) -> None:
    with pytest.raises(EventDataError, match=message):
        check_event(Event.model_validate(envelope(**fields)))


def test_a_checked_event_has_its_data_normalised() -> None:
    started = check_event(
        Event.model_validate(
            envelope(type="OrderStarted", data={"customer_name": "Ada", "customer_id": None})
        )
    )
    assert started.data == {"customer_name": "Ada", "walkup": False}
    store_event = check_event(Event.model_validate(envelope(type="StoreOpened", order_id=None, data={})))
    assert store_event.data == {}

"""Events: the envelope and the ten event types of API.md.

An event is born with its id (so any node can deduplicate it); the log assigns `seq` when
it is appended.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from core.ids import new_id
from core.menu import MenuItem

EventType = Literal[
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
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
ORDER_EVENT_TYPES = frozenset(t for t in EVENT_TYPES if t.startswith("Order"))
STORE_EVENT_TYPES = frozenset(EVENT_TYPES) - ORDER_EVENT_TYPES


class Event(BaseModel):
    """The envelope every event travels in."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=64)
    seq: int | None = None
    store: str = Field(min_length=1, max_length=64)
    type: EventType
    time: datetime
    order_id: str | None = None
    actor: str = Field(max_length=80)
    origin: str = Field(max_length=80)
    causation_id: str | None = Field(default=None, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone")
        return value.astimezone(UTC)

    @property
    def sort_key(self) -> tuple[datetime, str]:
        """The total order every node agrees on, whatever order events arrived in."""
        return (self.time, self.id)

    def with_seq(self, seq: int) -> Event:
        return self.model_copy(update={"seq": seq})


# Typed payloads, checked where an event is born or received from outside.


class OrderStartedData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_name: str = Field(min_length=1, max_length=40)
    customer_id: str | None = Field(default=None, max_length=100)
    walkup: bool = False


class OrderPlacedData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1)
    item: str
    options: dict[str, str] = Field(default_factory=dict)


class BaristaData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    barista: str | None = Field(default=None, max_length=40)


class OrderClaimedData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    barista: str = Field(min_length=1, max_length=40)


class ReasonData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=200)


class TimeoutData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Literal["customer_timeout", "barista_timeout"]


class EmptyData(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MenuChangedData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    menu: tuple[MenuItem, ...]


DATA_MODELS: dict[str, type[BaseModel]] = {
    "OrderStarted": OrderStartedData,
    "OrderPlaced": OrderPlacedData,
    "OrderClaimed": OrderClaimedData,
    "OrderUnclaimed": BaristaData,
    "OrderCompleted": BaristaData,
    "OrderCancelled": ReasonData,
    "OrderTimedOut": TimeoutData,
    "StoreOpened": EmptyData,
    "StoreClosed": EmptyData,
    "MenuChanged": MenuChangedData,
}


class EventDataError(ValueError):
    """An event whose data does not fit its type."""


def check_event(event: Event) -> Event:
    """Validate an event that came from outside (a push, a replica); return it normalised."""
    if event.type in ORDER_EVENT_TYPES and not event.order_id:
        raise EventDataError(f"{event.type} {event.id} has no order_id")
    try:
        data = DATA_MODELS[event.type].model_validate(event.data)
    except ValidationError as error:
        raise EventDataError(f"{event.type} {event.id}: {error.errors()[0]['msg']}") from error
    return event.model_copy(update={"data": data.model_dump(mode="json", exclude_none=True)})


def make_event(
    type_: EventType,
    *,
    store: str,
    time: datetime,
    actor: str,
    origin: str,
    order_id: str | None = None,
    causation_id: str | None = None,
    data: BaseModel | None = None,
    id: str | None = None,
) -> Event:
    """Birth of an event: here it gets its id."""
    return Event(
        id=id or new_id(),
        store=store,
        type=type_,
        time=time,
        order_id=order_id,
        actor=actor,
        origin=origin,
        causation_id=causation_id,
        data=data.model_dump(mode="json", exclude_none=True) if data is not None else {},
    )


EVENT_LIST = TypeAdapter(list[Event])


def event_to_json(event: Event) -> str:
    return event.model_dump_json()


def event_from_json(text: str | bytes) -> Event:
    return Event.model_validate_json(text)

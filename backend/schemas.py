"""Request bodies (validated here) and response shapes (declared for the OpenAPI page).

Responses are built by `backend.views` and sent as bytes; these models describe them so
`/docs` tells the truth.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from core.events import Event
from core.menu import MenuItem

# -- requests ----------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A name is checked after cleaning (API.md): the schema says what a clean name looks like;
# the server also takes longer raw text that cleans down to 1-40 characters.
NAME_SCHEMA: dict[str, JsonValue] = {
    "minLength": 1,
    "maxLength": 40,
    "pattern": "[^\\s\\x00-\\x1f\\x7f-\\x9f]",
}


def _name() -> Any:
    return Field(max_length=1000, json_schema_extra=NAME_SCHEMA)


class StartOrderBody(_Body):
    code: str = Field(max_length=200)
    customer_name: str = _name()
    customer_id: str | None = Field(default=None, min_length=1, max_length=100)


class DrinkBody(_Body):
    item: str = Field(min_length=1, max_length=100)
    options: dict[str, str] = Field(default_factory=dict)


class CancelBody(_Body):
    reason: str | None = Field(default=None, max_length=1000)


class WalkUpBody(_Body):
    customer_name: str = _name()
    item: str = Field(min_length=1, max_length=100)
    options: dict[str, str] = Field(default_factory=dict)


class ItemStockBody(_Body):
    item: str = Field(max_length=100)
    available: bool


class ChoiceStockBody(_Body):
    option: str = Field(max_length=100)
    choice: str = Field(max_length=100)
    available: bool


class PushBody(_Body):
    events: list[Event] = Field(max_length=1000)


class LeaseBody(_Body):
    device: str = Field(min_length=1, max_length=80)
    size: int = Field(default=50, ge=1, description="at most 500 are given")


# -- responses ---------------------------------------------------------------------------


class Order(BaseModel):
    id: str
    store: str
    number: int | None
    state: Literal["started", "queued", "making", "completed", "cancelled", "timed_out"]
    customer_name: str
    item: str | None
    options: dict[str, str] | None
    barista: str | None
    created_at: datetime
    updated_at: datetime
    deadline: datetime | None
    reason: str | None
    origin: str


class StartedOrder(BaseModel):
    order: Order
    order_token: str


class OrderList(BaseModel):
    orders: list[Order]


class Queue(BaseModel):
    started: int
    queued: int
    making: int
    capacity: int


class Limits(BaseModel):
    drinks_per_code: int
    code_rotation_s: int
    customer_timeout_s: float
    barista_timeout_s: float


class Store(BaseModel):
    id: str
    name: str
    open: bool
    menu: list[MenuItem]
    queue: Queue
    limits: Limits


class CodeInfo(BaseModel):
    code: str
    url: str
    expires_at: datetime
    remaining: int


class EventPage(BaseModel):
    events: list[Event]
    last_seq: int


class PushResult(BaseModel):
    accepted: int
    duplicates: int
    last_seq: int


class Lease(BaseModel):
    start: int
    end: int


class Stats(BaseModel):
    served_today: int
    cancelled_today: int
    timed_out_today: int
    queued: int
    making: int
    avg_wait_s: float | None
    avg_make_s: float | None
    by_item: dict[str, int]


class Health(BaseModel):
    status: Literal["ok"]

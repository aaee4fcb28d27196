"""A stall in a test: one store's projection, a fake clock and the decider, no I/O."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from core import commands as c
from core.business_day import business_day
from core.clock import FakeClock
from core.config import StoreConfig
from core.decider import CodeVerdict, Context, decide
from core.events import Event
from core.menu import MenuItem, Option
from core.orders import OrderState
from core.projection import Projection

MILK = Option(id="milk", name="Milk", choices=("Whole", "Oat", "Soy"), default="Whole")
SIZE = Option(id="size", name="Size", choices=("Small", "Large"), default="Small")
MENU = (
    MenuItem(id="flat-white", name="Flat White", options=(MILK,)),
    MenuItem(id="latte", name="Latte", options=(MILK, SIZE)),
    MenuItem(id="americano", name="Americano"),
)


def store_config(**overrides: Any) -> StoreConfig:
    """A small, open store with short waits; override any key."""
    values: dict[str, Any] = {
        "open": True,
        "max_queue": 5,
        "customer_timeout_s": 60,
        "barista_timeout_s": 600,
        "max_open_orders_per_customer": 1,
        "menu": MENU,
    }
    return StoreConfig(**{**values, **overrides})


_ids = itertools.count(1)


def sequential_id() -> str:
    """Readable, unique ids (tests must not depend on how ids compare)."""
    return f"id-{next(_ids):06d}"


@dataclass
class Stall:
    """One node deciding commands against its own projection, as the backend does."""

    config: StoreConfig = field(default_factory=store_config)
    clock: FakeClock = field(default_factory=FakeClock)
    origin: str = "backend"
    projection: Projection = field(init=False)
    log: list[Event] = field(default_factory=list)
    numbers: dict[object, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.projection = Projection("booth", self.config)

    def context(self, actor: str = "customer", code: CodeVerdict | None = CodeVerdict.VALID) -> Context:
        day = business_day(self.clock.now(), self.config.zone)
        return Context(
            now=self.clock.now(),
            actor=actor,
            origin=self.origin,
            new_id=sequential_id,
            causation_id=f"cmd-{len(self.log)}",
            number=self.numbers.get(day, 0) + 1,
            code=code,
        )

    def do(
        self, command: c.Command, actor: str = "customer", code: CodeVerdict | None = CodeVerdict.VALID
    ) -> list[Event]:
        """Decide, then store (give seq) and apply, as one atomic step."""
        ctx = self.context(actor, code)
        events = decide(command, self.projection, ctx)
        stored = [e.with_seq(len(self.log) + i + 1) for i, e in enumerate(events)]
        self.log.extend(stored)
        self.projection.apply_all(stored)
        if any(e.type == "OrderPlaced" for e in stored):
            day = business_day(ctx.now, self.config.zone)
            self.numbers[day] = self.numbers.get(day, 0) + 1
        return stored

    def start(self, name: str = "Ada", customer_id: str | None = None) -> str:
        (started,) = self.do(c.StartOrder(name, customer_id))
        assert started.order_id is not None
        return started.order_id

    def place(self, item: str = "flat-white", options: dict[str, str] | None = None, **start: Any) -> str:
        order_id = self.start(**start)
        self.do(c.ChooseDrink(order_id, item, options or {}))
        return order_id

    def order(self, order_id: str) -> OrderState:
        order = self.projection.order(order_id)
        assert order is not None
        return order

    def later(self, seconds: float) -> datetime:
        return self.clock.advance(seconds)


@pytest.fixture
def stall() -> Stall:
    return Stall()


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)

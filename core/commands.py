"""Commands: what someone asks the stall to do. The decider turns them into events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.menu import Menu


@dataclass(frozen=True, slots=True)
class StartOrder:
    customer_name: str
    customer_id: str | None = None


@dataclass(frozen=True, slots=True)
class ChooseDrink:
    order_id: str
    item: str
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClaimOrder:
    order_id: str
    barista: str


@dataclass(frozen=True, slots=True)
class UnclaimOrder:
    order_id: str
    barista: str


@dataclass(frozen=True, slots=True)
class CompleteOrder:
    order_id: str
    barista: str


@dataclass(frozen=True, slots=True)
class CancelOrder:
    order_id: str
    by: Literal["customer", "barista"]
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TimeOutOrder:
    order_id: str


@dataclass(frozen=True, slots=True)
class WalkUp:
    customer_name: str
    item: str
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OpenStore:
    pass


@dataclass(frozen=True, slots=True)
class CloseStore:
    pass


@dataclass(frozen=True, slots=True)
class ChangeMenu:
    menu: Menu


@dataclass(frozen=True, slots=True)
class SetItemStock:
    item: str
    available: bool


@dataclass(frozen=True, slots=True)
class SetChoiceStock:
    option: str
    choice: str
    available: bool


Command = (
    StartOrder
    | ChooseDrink
    | ClaimOrder
    | UnclaimOrder
    | CompleteOrder
    | CancelOrder
    | TimeOutOrder
    | WalkUp
    | OpenStore
    | CloseStore
    | ChangeMenu
    | SetItemStock
    | SetChoiceStock
)

ORDER_COMMANDS = (ChooseDrink, ClaimOrder, UnclaimOrder, CompleteOrder, CancelOrder, TimeOutOrder)

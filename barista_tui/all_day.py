"""The "all day": what is waiting, grouped by drink and options ("3 x Flat White · Oat", with a times sign).

A barista batching milk for the next few cups wants the totals, not the tickets. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from barista_tui.board import drink_label
from core.menu import Menu
from core.orders import OrderState, OrderStatus

TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True, slots=True)
class DrinkCount:
    count: int
    label: str  # "Flat White · Oat"

    def __str__(self) -> str:
        return f"{self.count} {TIMES} {self.label}"


@dataclass(frozen=True, slots=True)
class AllDay:
    waiting: tuple[DrinkCount, ...]  # queued, nobody on them yet
    making: tuple[DrinkCount, ...]  # claimed, being made

    @property
    def waiting_total(self) -> int:
        return sum(c.count for c in self.waiting)

    @property
    def making_total(self) -> int:
        return sum(c.count for c in self.making)


def group_drinks(orders: Iterable[OrderState], menu: Menu) -> tuple[DrinkCount, ...]:
    """Counts per (drink, options), the biggest first; ties in menu order, then by label."""
    counts: Counter[tuple[str | None, tuple[tuple[str, str], ...]]] = Counter()
    for order in orders:
        options = tuple((k, v.casefold()) for k, v in (order.options or {}).items())
        counts[(order.item, options)] += 1
    position = {item.id: index for index, item in enumerate(menu.items)}
    rows = []
    for (item, options), count in counts.items():
        label = drink_label(menu, item, _spell(menu, item, options))
        rows.append((-count, position.get(item or "", len(position)), label, DrinkCount(count, label)))
    rows.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in rows)


def _spell(menu: Menu, item_id: str | None, options: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Option values in the menu's spelling (they were grouped without regard to case)."""
    item = menu.item(item_id) if item_id else None
    spelled: dict[str, str] = {}
    for option_id, folded in options:
        option = item.option(option_id) if item else None
        spelled[option_id] = (option.choice(folded) if option else None) or folded
    return spelled


def all_day(orders: Iterable[OrderState], menu: Menu) -> AllDay:
    queued, making = [], []
    for order in orders:
        if order.status is OrderStatus.QUEUED:
            queued.append(order)
        elif order.status is OrderStatus.MAKING:
            making.append(order)
    return AllDay(waiting=group_drinks(queued, menu), making=group_drinks(making, menu))

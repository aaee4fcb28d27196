"""The store's own state (open or closed, the menu), derived order-independently."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from core.events import Event
from core.menu import Menu, MenuItem

_NEVER: tuple[datetime, str] | None = None


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """Rule: the latest open/close event (by time, then id) decides whether the store is
    open; the latest MenuChanged decides the menu. Seeds from config count as oldest."""

    open: bool = False
    menu: Menu = field(default_factory=Menu)
    open_key: tuple[datetime, str] | None = _NEVER
    menu_key: tuple[datetime, str] | None = _NEVER


def evolve_store(status: StoreStatus, event: Event) -> StoreStatus:
    key = event.sort_key
    if event.type in ("StoreOpened", "StoreClosed"):
        if status.open_key is None or key > status.open_key:
            return replace(status, open=event.type == "StoreOpened", open_key=key)
    elif event.type == "MenuChanged" and (status.menu_key is None or key > status.menu_key):
        items = tuple(MenuItem.model_validate(item) for item in event.data.get("menu", ()))
        return replace(status, menu=Menu(items=items), menu_key=key)
    return status

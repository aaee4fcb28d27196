"""The store's settings as a client knows them: the backend's store object over local config.

The backend's `GET /api/v1/stores/{store}` is the truth for what it tells (name, limits,
queue capacity, open, menu); the rest (timezone, screen timings) comes from the local
config's `[stores.<id>]` table when there is one, else defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from core.config import StoreConfig
from core.menu import MenuItem
from core.sync.feed import StoreInfo

_LIMITS = ("drinks_per_code", "code_rotation_s", "customer_timeout_s", "barista_timeout_s")


def store_info_of(store: str, raw: Mapping[str, Any] | None, base: StoreConfig) -> StoreInfo:
    if not raw:
        limits = {name: getattr(base, name) for name in _LIMITS}
        return StoreInfo(id=store, name=base.name, limits=limits)
    return StoreInfo(
        id=str(raw.get("id", store)),
        name=str(raw.get("name", base.name)),
        limits=dict(raw.get("limits") or {}),
    )


def config_of(raw: Mapping[str, Any] | None, base: StoreConfig) -> StoreConfig:
    """A StoreConfig for the projection: the backend's values where it gave them."""
    if not raw:
        return base
    update: dict[str, Any] = {}
    if "name" in raw:
        update["name"] = raw["name"]
    if "open" in raw:
        update["open"] = bool(raw["open"])
    limits = raw.get("limits") or {}
    update.update({name: limits[name] for name in _LIMITS if name in limits})
    capacity = (raw.get("queue") or {}).get("capacity")
    if capacity:
        update["max_queue"] = capacity
    if raw.get("timezone"):
        update["timezone"] = raw["timezone"]
    try:
        if "menu" in raw:
            update["menu"] = tuple(MenuItem.model_validate(item) for item in raw["menu"])
        return StoreConfig.model_validate({**base.model_dump(), **update})
    except ValidationError:
        return base  # a store object we cannot read must not stop the booth

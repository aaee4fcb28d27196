"""Writer jobs that are not decider commands: seeding a store from config, number leases,
and reading the current QR code's use count (a counter only a transaction sees)."""

from __future__ import annotations

from pydantic import BaseModel

from backend.views import to_json
from backend.writer import Action, Reply, Step
from core.business_day import business_day
from core.codes import current_code
from core.config import StoreConfig
from core.errors import ErrorCode, Rejected
from core.events import EmptyData, Event, EventType, MenuChangedData, make_event
from core.eventstore.base import NumberLease
from core.menu import Menu, MenuItem
from core.text import clean_text

MAX_LEASE = 500
ORIGIN = "backend"


def _shape(menu: Menu) -> Menu:
    """The menu with every item and choice available: what config.toml can change."""
    items = tuple(
        MenuItem(
            id=item.id,
            name=item.name,
            options=tuple(o.model_copy(update={"unavailable": ()}) for o in item.options),
        )
        for item in menu.items
    )
    return Menu(items=items)


def _system_event(step: Step, type_: EventType, data: BaseModel) -> Event:
    return make_event(
        type_,
        store=step.state.store,
        time=step.now,
        actor="system",
        origin=ORIGIN,
        causation_id=step.causation_id,
        data=data,
    )


def seed(config: StoreConfig) -> Action:
    """First start: record the config's menu (and StoreOpened if `open`). Later starts: a
    config menu that differs from the log's is recorded; `open` is ignored. What has run out
    is kept across restarts when only availability differs (see docs/backend.md)."""

    def action(step: Step) -> Reply:
        state = step.state
        first_start = state.last_seq == 0
        configured = config.seed_menu
        events = []
        if first_start or _shape(configured) != _shape(state.menu) or state.status.menu_key is None:
            data = MenuChangedData(menu=configured.items)
            events.append(_system_event(step, "MenuChanged", data))
        if first_start and config.open:
            events.append(_system_event(step, "StoreOpened", EmptyData()))
        step.append(events)
        return Reply(200, b"{}")

    return action


def lease_numbers(device: str, size: int) -> Action:
    def action(step: Step) -> Reply:
        name = clean_text(device)
        if not name:
            raise Rejected(ErrorCode.VALIDATION_ERROR, "device must not be empty")
        if size < 1:
            raise Rejected(ErrorCode.VALIDATION_ERROR, "size must be at least 1")
        day = business_day(step.now, step.state.config.zone)
        start, end = step.tx.take_numbers(day, min(size, MAX_LEASE))
        step.tx.record_lease(NumberLease(device=name, day=day, start=start, end=end))
        return Reply(201, to_json({"start": start, "end": end}))

    return action


def code_info(secret: bytes, public_url: str) -> Action:
    def action(step: Step) -> Reply:
        state = step.state
        if not state.is_open:
            raise Rejected(ErrorCode.STORE_CLOSED, "the store is closed: no code to show")
        code = current_code(secret, state.store, state.config, step.now)
        remaining = max(0, state.config.drinks_per_code - step.tx.code_uses(code.window))
        body = {
            "code": code.code,
            "url": f"{public_url}/order/{state.store}?code={code.code}",
            "expires_at": code.expires_at.isoformat().replace("+00:00", "Z"),
            "remaining": remaining,
        }
        return Reply(200, to_json(body))

    return action

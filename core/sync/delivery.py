"""Back online: deliver the outbox in order, keep a number lease, refresh the store object.

Outbox entries go one at a time, oldest first, each with its command id as the
Idempotency-Key: offline-made events through `POST …/events` (accepted once thanks to
their ids), unknown-outcome requests sent again as they were. Delivery stops at the first
entry that cannot get an answer and resumes on the next attempt.
"""

from __future__ import annotations

from core.errors import ErrorCode
from core.ids import new_id
from core.sync.engine import SyncEngine
from core.sync.feed import Notice
from core.sync.http_api import OutcomeUnknown, Refused, Unreachable
from core.sync.outbox import OutboxEntry
from core.sync.store_settings import config_of, store_info_of
from core.sync.wording import order_label, rejection_text

# Refusals about the credential or the rate, not about the entry: keep it and try later.
_NOT_THE_ENTRY = frozenset({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED})


async def deliver_outbox(engine: SyncEngine) -> bool:
    """Deliver what can be delivered (caller holds `send_lock`). True when it is empty."""
    replica = engine.replica
    settled = 0
    refused: list[tuple[OutboxEntry, Refused]] = []
    complete = True
    for entry in replica.outbox():
        try:
            await _send(engine, entry)
        except (Unreachable, OutcomeUnknown):
            complete = False
            break
        except Refused as error:
            if error.code in _NOT_THE_ENTRY or error.status in (401, 403, 429):
                complete = False
                break
            refused.append((entry, error))
            if entry.kind == "push":
                replica.remove_events([e.id for e in entry.events])
        settled += 1
        if entry.provisional:
            await engine.try_catch_up()  # the real effect in first, then the stand-in out
        replica.remove_outbox(entry.command_id)
        if entry.provisional or (refused and refused[-1][0] is entry):
            engine.rebuild()  # at once: never show a settled entry's provisional effect
    if not settled:
        return complete
    await engine.try_catch_up()
    engine.notify(notices=[_refusal_notice(engine, entry, error) for entry, error in refused])
    return complete and replica.outbox_count() == 0


async def _send(engine: SyncEngine, entry: OutboxEntry) -> None:
    if entry.kind == "push":
        await engine.api.push(entry.events, key=entry.command_id)
    else:
        await engine.api.send(
            entry.method, entry.path, json=entry.body, key=entry.command_id, headers=entry.headers
        )


def _refusal_notice(engine: SyncEngine, entry: OutboxEntry, error: Refused) -> Notice:
    order = engine.projection.order(entry.order_id) if entry.order_id else None
    why = rejection_text(error.code, error.detail, order)
    label = entry.label
    if order is not None and entry.order_id:
        label = f"{entry.label.split(' ')[0]} {order_label(order)}"
    return Notice(
        text=f"Could not {label}: {why}",
        time=engine.clock.now(),
        order_id=entry.order_id,
        level="error" if entry.kind == "push" else "warning",
    )


class LeaseKeeper:
    """Keeps enough of today's order numbers leased for offline walk-ups."""

    def __init__(self, engine: SyncEngine, *, size: int = 50, low_water: int = 20) -> None:
        self._engine = engine
        self._size = size
        self._low_water = low_water
        self._key: str | None = None  # kept across retries: a repeat gets the same block
        self.enabled = True  # off once the backend says this token may not lease

    async def top_up(self) -> None:
        engine = self._engine
        day = engine.today()
        if not self.enabled or engine.replica.free_numbers(day) >= self._low_water:
            return
        self._key = self._key or new_id()
        try:
            start, end = await engine.api.lease(engine.device_id, self._size, self._key)
        except Refused as error:
            if error.status in (401, 403):
                self.enabled = False
            self._key = None
            return
        engine.replica.add_lease(day, start, end)
        self._key = None


async def same_log(engine: SyncEngine) -> bool:
    """Does the backend still hold the log this replica copied? Not if its database was
    replaced (a reset server): then its first event is another one, or there is none."""
    if engine.replica.last_seq == 0:
        return True
    events, _ = await engine.api.events_page(0, 1)
    mine = engine.replica.event_id_at(1)
    return mine is None or (bool(events) and events[0].id == mine)


async def refresh_store_info(engine: SyncEngine) -> None:
    raw = await engine.api.store_info()
    engine.replica.save_store_info(raw)
    info = store_info_of(engine.store, raw, engine.base_config)
    config = config_of(raw, engine.base_config)
    changed = info != engine.store_info
    engine.store_info = info
    if config != engine.projection.config:
        engine.rebuild(config)
    elif changed:
        engine.notify(store_changed=True)

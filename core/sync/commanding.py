"""Running a barista command: at the backend while online, here while offline.

Online, the request carries the command's id as its Idempotency-Key and the answer is
shown at once (a catch-up read right after it). If nothing could be sent, the command is
decided here with the core's rules and kept in the outbox (`push`). If it was sent but no
answer came, its outcome is unknown: it stays in the outbox as that same request, to be
sent again with the same key (safe), and its expected effect is shown provisionally.
"""

from __future__ import annotations

from core.errors import Rejected
from core.events import Event
from core.ids import new_id
from core.sync.engine import SyncEngine
from core.sync.feed import CommandResult
from core.sync.http_api import OutcomeUnknown, Refused, Unreachable
from core.sync.outbox import OutboxEntry
from core.sync.planning import Planned, decide_here, describe
from core.sync.replica import Intent
from core.sync.wording import rejection_text

STILL_SENDING = "This walk-up is still being sent: wait until it has its number."
NO_NUMBERS = (
    "No order numbers are left for offline walk-ups today. Write the order down and enter it "
    "when the connection is back."
)


async def run_command(engine: SyncEngine, planned: Planned) -> CommandResult:
    """Run one command. The caller holds `engine.send_lock` and has delivered the outbox."""
    if planned.order_id and engine.state.is_provisional(planned.order_id):
        return CommandResult(ok=False, detail=STILL_SENDING)
    command_id = new_id()
    if engine.link.online:
        result = await _online(engine, planned, command_id)
        if result is not None:
            return result
    return decide_offline(engine, planned, command_id, unknown=False)


async def _online(engine: SyncEngine, planned: Planned, command_id: str) -> CommandResult | None:
    try:
        answer = await engine.api.send(
            "POST", planned.path, json=planned.body, key=command_id, headers=planned.headers
        )
    except Unreachable:
        engine.link_down()
        return None
    except OutcomeUnknown:
        return decide_offline(engine, planned, command_id, unknown=True)
    except Refused as refused:
        await engine.try_catch_up()
        order = engine.projection.order(planned.order_id) if planned.order_id else None
        detail = rejection_text(refused.code, refused.detail, order)
        return CommandResult(ok=False, error=refused.code, detail=detail)
    order_id = planned.order_id or (answer.get("id") if isinstance(answer, dict) else None)
    if planned.kind == "unclaim" and order_id:
        engine.forget_claims(order_id)
    await engine.try_catch_up()
    if planned.watched and order_id:
        engine.watch(Intent(command_id, order_id, planned.kind, engine.actor))
    return CommandResult(ok=True, order=engine.projection.order(order_id) if order_id else None)


def decide_offline(engine: SyncEngine, planned: Planned, command_id: str, *, unknown: bool) -> CommandResult:
    """Decide here, keep it in the outbox (durably), then show it."""
    replica, projection = engine.replica, engine.projection
    kind = "push" if planned.pushable and not unknown else "http"
    walk_up = planned.kind == "walk_up"
    try:
        with replica.transaction():
            number = None
            if walk_up and kind == "push":
                number = replica.take_number(engine.today())
                if number is None:
                    return CommandResult(ok=False, detail=NO_NUMBERS)
            events = decide_here(
                planned,
                projection,
                command_id=command_id,
                actor=engine.actor,
                origin=engine.device_id,
                now=engine.clock.now(),
                number=number if number is not None else 1,
            )
            if walk_up and kind == "http":
                # The backend numbers it when the request is settled: show the start only.
                events = events[:1]
            if not events:
                return CommandResult(ok=True, order=projection.order(planned.order_id or ""))
            _keep(engine, planned, command_id, kind, events)
    except Rejected as rejected:
        order = projection.order(planned.order_id) if planned.order_id else None
        detail = rejection_text(rejected.code, rejected.detail, order)
        return CommandResult(ok=False, error=rejected.code, detail=detail)
    order_id = planned.order_id or events[0].order_id
    if planned.kind == "unclaim" and order_id:
        engine.forget_claims(order_id)
    engine.show_local(events, provisional=kind == "http")
    return CommandResult(ok=True, order=projection.order(order_id or ""), queued_offline=True)


def _keep(engine: SyncEngine, planned: Planned, command_id: str, kind: str, events: list[Event]) -> None:
    """Inside the replica transaction: the outbox entry, its events, the intent."""
    entry = OutboxEntry(
        command_id=command_id,
        kind="push" if kind == "push" else "http",
        created_at=engine.clock.now(),
        label=describe(planned, engine.projection),
        events=tuple(events),
        path=planned.path,
        body=planned.body,
        headers=planned.headers,
        order_id=planned.order_id or events[0].order_id,
    )
    if kind == "push":
        engine.replica.add_events(events)
    engine.replica.add_outbox(entry)
    if planned.watched and planned.order_id:
        engine.remember(Intent(command_id, planned.order_id, planned.kind, engine.actor))

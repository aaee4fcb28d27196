"""With no backend in reach, the client shows its replica, says OFFLINE, and decides
barista commands itself with the core's rules, keeping them in the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.config import StoreConfig
from core.errors import ErrorCode
from core.orders import OrderStatus
from core.sync.client import StoreClient
from core.sync.commanding import NO_NUMBERS
from core.sync.feed import FeedUpdate
from core.sync.planning import decide_here, plan_claim
from core.sync.replica import Replica
from core.sync.replica_file import ReplicaError
from tests.sync.conftest import FAST_LINK
from tests.sync.factory import T0, History
from tests.sync.waiting import until

DAY = date(2026, 11, 27)


@pytest.fixture
def history() -> History:
    history = History()
    history.order(1, "Ada")
    bobs = history.order(2, "Grace")
    history.claim(bobs, "Bob")
    return history


@pytest.fixture
def replica_path(tmp_path: Path, history: History, dead_server: str) -> Path:
    path = tmp_path / "replica.sqlite3"
    replica = Replica(path, server=dead_server, store="booth")
    replica.add_events(history.events)
    replica.close()
    return path


@pytest.fixture
async def client(
    dead_server: str, replica_path: Path, booth_config: StoreConfig
) -> AsyncIterator[StoreClient]:
    clock = FakeClock(T0 + timedelta(hours=1))
    client = StoreClient(
        dead_server,
        "booth",
        "token",
        actor="Ana",
        replica_path=replica_path,
        clock=clock,
        config=booth_config,
        link=FAST_LINK,
    )
    updates: list[FeedUpdate] = []
    client.add_listener(updates.append)
    client.updates = updates  # type: ignore[attr-defined]
    await client.start()
    yield client
    await client.stop()


def number_of(client: StoreClient, number: int) -> str:
    return next(o.id for o in client.projection.orders() if o.number == number)


async def test_the_replica_is_shown_at_once_then_the_status_turns_offline(client: StoreClient) -> None:
    updates: list[FeedUpdate] = client.updates  # type: ignore[attr-defined]
    assert updates[0].initial and updates[0].status is not None and updates[0].status.connecting
    assert {o.number for o in client.projection.orders()} == {1, 2}
    await until(lambda: client.status.offline_since is not None, 5, "offline")
    assert not client.status.online
    assert any(u.status and not u.status.online and not u.status.connecting for u in updates)


async def test_an_offline_claim_moves_the_screen_and_waits_in_the_outbox(client: StoreClient) -> None:
    await until(lambda: client.status.offline_since is not None, 5, "offline")
    result = await client.claim(number_of(client, 1))
    assert result.ok and result.queued_offline
    assert result.order is not None and result.order.status is OrderStatus.MAKING
    assert result.order.barista == "Ana"
    assert client.status.waiting == 1
    last: FeedUpdate = client.updates[-1]  # type: ignore[attr-defined]
    assert last.changes[0].after.status is OrderStatus.MAKING
    assert last.status is not None and last.status.waiting == 1


async def test_offline_the_core_rules_still_refuse_with_words_naming_who(client: StoreClient) -> None:
    result = await client.claim(number_of(client, 2))
    assert not result.ok and result.error is ErrorCode.ALREADY_CLAIMED
    assert result.detail == "#2 is being made by Bob"
    result = await client.complete("no-such-order")
    assert not result.ok and result.error is ErrorCode.NOT_FOUND
    assert client.status.waiting == 0


async def test_offline_walk_ups_take_leased_numbers_and_none_without_a_lease(
    client: StoreClient, replica_path: Path
) -> None:
    refused = await client.walk_up("Lin", "flat-white", {"milk": "oat"})
    assert not refused.ok and refused.detail == NO_NUMBERS
    client.replica.add_lease(DAY, 501, 502)
    first = await client.walk_up("Lin", "flat-white", {"milk": "oat"})
    second = await client.walk_up("Max", "espresso", {})
    assert first.order is not None and second.order is not None
    assert (first.order.number, second.order.number) == (501, 502)
    assert first.order.options == {"milk": "Oat"} and first.order.walkup
    assert first.order.status is OrderStatus.QUEUED
    third = await client.walk_up("Noor", "espresso", {})
    assert not third.ok
    assert client.status.waiting == 2


async def test_what_was_done_offline_is_still_there_after_a_restart(
    client: StoreClient, dead_server: str, replica_path: Path, booth_config: StoreConfig
) -> None:
    order_id = number_of(client, 1)
    await client.claim(order_id)
    await client.stop()
    again = StoreClient(
        dead_server,
        "booth",
        "token",
        actor="Ana",
        replica_path=replica_path,
        config=booth_config,
        link=FAST_LINK,
    )
    await again.start()
    try:
        order = again.projection.order(order_id)
        assert order is not None and order.status is OrderStatus.MAKING and order.barista == "Ana"
        assert again.status.waiting == 1
        assert [e.type for e in again.timeline(order_id)] == ["OrderStarted", "OrderPlaced", "OrderClaimed"]
    finally:
        await again.stop()


async def test_closing_the_store_offline_shows_at_once_and_waits_for_the_backend(client: StoreClient) -> None:
    result = await client.close_store()
    assert result.ok and result.queued_offline
    assert not client.projection.is_open
    entry = client.replica.outbox()[0]
    assert entry.kind == "http" and entry.path == "/api/v1/stores/booth/close"


async def test_a_retried_command_makes_the_same_events(client: StoreClient) -> None:
    planned = plan_claim(number_of(client, 1), "Ana")
    now = T0 + timedelta(hours=1)

    def decided() -> list[str]:
        events = decide_here(
            planned, client.projection, command_id="cmd-1", actor="Ana", origin="dev", now=now
        )
        return [e.id for e in events]

    assert decided() == decided()


async def test_a_damaged_replica_is_refused_or_replaced_on_request(
    tmp_path: Path, dead_server: str, booth_config: StoreConfig
) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)
    client = StoreClient(dead_server, "booth", "token", actor="Ana", replica_path=path, config=booth_config)
    with pytest.raises(ReplicaError, match="is damaged"):
        await client.start()
    updates: list[FeedUpdate] = []
    client.add_listener(updates.append)
    await client.start(replace_broken=True)
    try:
        assert updates[0].initial and "was put aside as broken.sqlite3.broken-" in updates[0].notices[0].text
        assert list(tmp_path.glob("broken.sqlite3.broken-*"))
        assert client.replica.event_count() == 0
    finally:
        await client.stop()

"""The writer when a commit fails: nobody is told "done", nothing uncommitted is believed,
and the next command is decided on what the log really holds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from backend import actions
from backend.problems import ApiError, Fault
from backend.runtime import Backend
from backend.writer import Reply, Step
from core import commands as c
from core.clock import SystemClock
from core.config import settings_from_mapping
from core.errors import ErrorCode, Rejected
from core.events import Event
from core.eventstore.base import StoreTransaction
from core.eventstore.sqlite import SqliteEventStore

MENU = [{"id": "americano", "name": "Americano", "options": []}]
SETTINGS = {"stores": {"booth": {"open": True, "max_queue": 100, "menu": MENU}}}


class CommitFails(SqliteEventStore):
    """The real SQLite store, except that the next commit fails (a disk error, say)."""

    fail_next = False
    reads_fail = 0  # how many reads fail after that (the database is gone for a moment)

    def read(self, store: str, after: int = 0, limit: int | None = None) -> list[Event]:
        if self.reads_fail:
            self.reads_fail -= 1
            raise OSError("database unreachable")
        return super().read(store, after, limit)

    @contextmanager
    def transaction(self, store: str) -> Iterator[StoreTransaction]:
        with super().transaction(store) as tx:
            yield tx
            if self.fail_next:
                self.fail_next = False
                raise OSError("disk I/O error")  # inside the transaction: it rolls back


async def _walk_up(backend: Backend, name: str) -> Any:
    return await backend.execute("booth", actions.walk_up(c.WalkUp(name, "americano"), "Ann"), f"cmd-{name}")


async def test_a_failed_commit_is_not_believed(tmp_path: Path) -> None:
    store = CommitFails(tmp_path / "events.db")
    backend = Backend(settings_from_mapping(SETTINGS, environ={}), store, SystemClock(), keepalive_s=15)
    await backend.start()
    try:
        first = json.loads((await _walk_up(backend, "One")).body)
        store.fail_next = True
        with pytest.raises(Fault):
            await _walk_up(backend, "Lost")
        second = json.loads((await _walk_up(backend, "Two")).body)
        # The lost order used up nothing: its number goes to the next order.
        assert second["number"] == first["number"] + 1
        # The writer's own projection never kept the order that was not committed.
        assert sorted(o.customer_name for o in backend.writer._state["booth"].orders()) == ["One", "Two"]
        names = [o.customer_name for o in backend.stores["booth"].projection.orders()]
        assert sorted(names) == ["One", "Two"]
        logged = [e.data.get("customer_name") for e in store.read("booth") if e.type == "OrderStarted"]
        assert logged == ["One", "Two"]
    finally:
        await backend.stop()
        store.close()


async def test_a_failed_commit_while_the_log_cannot_be_read_is_rebuilt_before_the_next_write(
    tmp_path: Path,
) -> None:
    store = CommitFails(tmp_path / "events.db")
    backend = Backend(settings_from_mapping(SETTINGS, environ={}), store, SystemClock(), keepalive_s=15)
    await backend.start()
    try:
        await _walk_up(backend, "One")
        store.fail_next, store.reads_fail = True, 2  # the commit fails, then so does reloading
        with pytest.raises(Fault):
            await _walk_up(backend, "Lost")
        with pytest.raises(Fault):  # still unreadable: no decision on a doubtful projection
            await _walk_up(backend, "Two")
        await _walk_up(backend, "Three")  # rebuilt from the log first, then decided
        writer_view = sorted(o.customer_name for o in backend.writer._state["booth"].orders())
        assert writer_view == ["One", "Three"]
        assert sorted(o.customer_name for o in backend.stores["booth"].projection.orders()) == [
            "One",
            "Three",
        ]
    finally:
        await backend.stop()
        store.close()


async def test_a_step_refused_after_writing_uses_up_nothing_and_its_batch_is_kept(tmp_path: Path) -> None:
    store = CommitFails(tmp_path / "events.db")
    backend = Backend(settings_from_mapping(SETTINGS, environ={}), store, SystemClock(), keepalive_s=15)
    await backend.start()
    day = date(2000, 1, 1)  # a day no order numbers

    def take_then_refuse(step: Step) -> Reply:
        step.tx.take_numbers(day, 5)  # written, then refused: only a savepoint undoes it
        raise Rejected(ErrorCode.INVALID_TRANSITION, "no")

    def take_one(step: Step) -> Reply:
        first, _ = step.tx.take_numbers(day, 1)
        return Reply(200, str(first).encode())

    try:
        answers: tuple[Any, ...] = await asyncio.gather(
            backend.execute("booth", actions.custom(take_then_refuse), "cmd-refused"),
            backend.execute("booth", actions.custom(take_one), "cmd-kept"),
            _walk_up(backend, "Ada"),
            return_exceptions=True,
        )
        refused, kept, walk_up = answers
        assert isinstance(refused, ApiError) and refused.code is ErrorCode.INVALID_TRANSITION
        assert isinstance(kept, Reply) and kept.body == b"1"
        assert json.loads(walk_up.body)["customer_name"] == "Ada"
        with store.transaction("booth") as tx:
            assert tx.peek_number(day) == 2
    finally:
        await backend.stop()
        store.close()

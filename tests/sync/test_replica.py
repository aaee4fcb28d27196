"""The replica keeps what was shown, survives a crash mid-write, and refuses files it
cannot trust with a clear message."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from core.sync.outbox import OutboxEntry
from core.sync.replica import Replica
from core.sync.replica_file import SCHEMA_VERSION, ReplicaError, ReplicaInUse, move_aside
from tests.sync.factory import History

REPO_ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 27)


def open_replica(path: Path) -> Replica:
    return Replica(path, server="http://backend", store="booth")


def test_events_cursor_and_device_id_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    history = History()
    history.order(1)
    replica = open_replica(path)
    device = replica.device_id
    assert replica.add_events(history.events) == history.events
    replica.close()

    again = open_replica(path)
    assert again.device_id == device
    assert again.last_seq == 2
    assert [e.id for e in again.events()] == [e.id for e in history.events]
    again.close()


def test_an_event_is_stored_once_and_a_local_event_gets_its_seq_later(tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.sqlite3")
    history = History()
    order_id = history.order(1)
    replica.add_events(history.events)
    local = history.add("OrderClaimed", order_id, actor="Ana", data={"barista": "Ana"}, seq=False)
    assert replica.add_events([local]) == [local]
    assert replica.add_events([local]) == []
    assert replica.unsequenced_count() == 1

    assert replica.add_events([local.with_seq(3)]) == []
    assert replica.unsequenced_count() == 0
    assert replica.last_seq == 3
    assert replica.event_count() == 3
    replica.close()


def test_the_outbox_keeps_its_order_and_forgets_delivered_entries(tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.sqlite3")
    history = History()
    entries = [
        OutboxEntry(command_id=f"c{i}", kind="http", created_at=history.time, label=f"claim #{i}", path="/x")
        for i in range(3)
    ]
    for entry in entries:
        replica.add_outbox(entry)
    replica.remove_outbox("c1")
    assert [e.command_id for e in replica.outbox()] == ["c0", "c2"]
    assert replica.outbox()[0] == entries[0]
    replica.close()


def test_leased_numbers_are_used_once_and_belong_to_their_day(tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.sqlite3")
    replica.add_lease(DAY, 101, 103)
    replica.add_lease(DAY, 201, 201)
    taken = [replica.take_number(DAY) for _ in range(5)]
    assert taken == [101, 102, 103, 201, None]
    assert replica.take_number(date(2026, 11, 28)) is None
    replica.add_lease(date(2026, 11, 28), 1, 50)
    assert replica.free_numbers(date(2026, 11, 28)) == 50
    assert replica.free_numbers(DAY) == 0  # yesterday's blocks are gone
    replica.close()


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.sqlite3")
    replica.add_lease(DAY, 1, 10)
    history = History()
    history.order(1)
    with pytest.raises(RuntimeError), replica.transaction():
        replica.add_events(history.events)
        replica.take_number(DAY)
        raise RuntimeError("decided against it")
    assert replica.event_count() == 0
    assert replica.last_seq == 0
    assert replica.take_number(DAY) == 1
    replica.close()


def test_a_second_app_on_the_same_replica_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    first = open_replica(path)
    with pytest.raises(ReplicaInUse, match="in use"):
        open_replica(path)
    first.close()
    open_replica(path).close()


def test_a_damaged_file_gives_a_clear_error_and_can_be_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ReplicaError, match="is damaged") as caught:
        open_replica(path)
    assert "the orders come back from the server" in str(caught.value)
    moved = move_aside(path)
    assert moved.exists() and not path.exists()
    open_replica(path).close()


def test_a_replica_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    open_replica(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(ReplicaError, match="newer version"):
        open_replica(path)


def test_a_replica_of_another_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    open_replica(path).close()
    with pytest.raises(ReplicaError, match="belongs to store 'booth'"):
        Replica(path, server="http://backend", store="other")


def test_a_replica_is_consistent_after_the_app_is_killed_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.replica_writer", str(path)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        for _ in range(40):  # let it commit a few rounds, then kill it while it writes
            committed = int(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    replica = open_replica(path)  # quick_check runs on open
    rounds = replica.outbox_count()
    assert rounds >= committed
    assert replica.event_count() == 3 * rounds
    assert replica.last_seq == 2 * rounds
    assert replica.unsequenced_count() == rounds
    held = {e.id for e in replica.events()}
    assert all(event.id in held for entry in replica.outbox() for event in entry.events)
    assert replica.take_number(DAY) == rounds + 1  # every taken number matches a command
    replica.close()

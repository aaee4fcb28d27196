"""The SQLite event store: the contract, and what only a file can go through."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.eventstore.base import EventStore, StoreUnreadableError, open_event_store
from core.eventstore.sqlite import SqliteEventStore
from tests.eventstore.contract import EventStoreContract
from tests.eventstore.events_for_tests import store_event


class TestSqliteStore(EventStoreContract):
    @pytest.fixture
    def url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'events.db'}"

    def make_newer(self, url: str) -> None:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("PRAGMA user_version = 99")

    def open_impatient(self, url: str, busy_timeout_s: float) -> EventStore:
        return SqliteEventStore(url.removeprefix("sqlite:///"), busy_timeout_s=busy_timeout_s)


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    with pytest.raises(StoreUnreadableError, match="not a readable event store"):
        SqliteEventStore(path)
    assert path.read_bytes().startswith(b"this is a shopping list")


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreUnreadableError, match="another program"):
        SqliteEventStore(path)
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"contacts"}


def test_the_file_uses_write_ahead_logging(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    store.close()
    with sqlite3.connect(tmp_path / "events.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_urls_name_relative_absolute_and_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url, path in [
        ("sqlite:///relative.db", tmp_path / "relative.db"),
        (f"sqlite:///{tmp_path}/absolute.db", tmp_path / "absolute.db"),
    ]:
        store = open_event_store(url)
        with store.transaction("booth") as tx:
            tx.append([store_event()])
        store.close()
        assert path.exists()
    temporary = open_event_store("sqlite:///:memory:")
    with temporary.transaction("booth") as tx:
        tx.append([store_event()])
    assert temporary.last_seq("booth") == 1
    temporary.close()


def test_nesting_write_transactions_in_one_thread_fails_at_once(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    try:
        with (
            store.transaction("booth"),
            pytest.raises(RuntimeError, match="nested"),
            store.transaction("annex"),
        ):
            pass
    finally:
        store.close()


def test_a_long_read_does_not_hold_up_the_writer(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.db", busy_timeout_s=0.3)
    reader = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    try:
        with store.transaction("booth") as tx:
            tx.append([store_event(n=1)])
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM events").fetchone() == (1,)  # a snapshot
        with store.transaction("booth") as tx:
            tx.append([store_event(n=2)])
        assert reader.execute("SELECT count(*) FROM events").fetchone() == (1,)
        reader.execute("COMMIT")
        assert store.last_seq("booth") == 2
    finally:
        reader.close()
        store.close()

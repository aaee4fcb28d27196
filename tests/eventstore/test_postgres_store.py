"""The PostgreSQL event store: the contract, and hearing other processes' appends."""

from __future__ import annotations

import asyncio
import threading

import psycopg
import pytest

from core.eventstore.base import EventStore, StoreBusyError, open_event_store
from core.eventstore.postgres import PostgresEventStore
from core.eventstore.postgres_schema import lock_key
from tests.eventstore.contract import EventStoreContract
from tests.eventstore.events_for_tests import store_event

pytestmark = pytest.mark.postgres


class TestPostgresStore(EventStoreContract):
    @pytest.fixture
    def url(self, pg_url: str) -> str:
        return pg_url

    def make_newer(self, url: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE espresso_schema SET version = 99")

    def open_impatient(self, url: str, busy_timeout_s: float) -> EventStore:
        return PostgresEventStore(url, busy_timeout_s=busy_timeout_s)


async def test_listen_hears_an_append_made_through_another_instance(pg_url: str) -> None:
    listening_store = open_event_store(pg_url)
    writing_store = open_event_store(pg_url)
    heard: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    ready = asyncio.Event()
    listening = asyncio.create_task(listening_store.listen(lambda s, q: heard.put_nowait((s, q)), ready))
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)

        def append(store: str, count: int) -> None:
            with writing_store.transaction(store) as tx:
                tx.append([store_event(store, n=n) for n in range(count)])

        await asyncio.to_thread(append, "booth", 3)
        assert await asyncio.wait_for(heard.get(), timeout=10) == ("booth", 3)
        await asyncio.to_thread(append, "annex:east", 1)
        assert await asyncio.wait_for(heard.get(), timeout=10) == ("annex:east", 1)
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        listening_store.close()
        writing_store.close()


async def test_a_rolled_back_append_is_not_announced(pg_url: str) -> None:
    store = open_event_store(pg_url)
    heard: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    ready = asyncio.Event()
    listening = asyncio.create_task(store.listen(lambda s, q: heard.put_nowait((s, q)), ready))
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)

        def fail_then_append() -> None:
            with pytest.raises(ZeroDivisionError), store.transaction("booth") as tx:
                tx.append([store_event(n=1)])
                _ = 1 / 0
            with store.transaction("booth") as tx:
                tx.append([store_event(n=2), store_event(n=3)])

        await asyncio.to_thread(fail_then_append)
        assert await asyncio.wait_for(heard.get(), timeout=10) == ("booth", 2)
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        store.close()


def test_stores_write_in_parallel_and_only_one_store_waits(pg_url: str) -> None:
    store = PostgresEventStore(pg_url)
    impatient = PostgresEventStore(pg_url, busy_timeout_s=0.3)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.transaction("booth") as tx:
            tx.append([store_event("booth", n=1)])
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with impatient.transaction("annex") as tx:
            assert [e.seq for e in tx.append([store_event("annex", n=1)])] == [1]
        with pytest.raises(StoreBusyError), impatient.transaction("booth"):
            pass
    finally:
        release.set()
        holder.join()
        store.close()
        impatient.close()


def test_store_lock_keys_are_stable_64_bit_numbers() -> None:
    # Fixed for good: processes of two releases on one database must lock the same key.
    assert lock_key("booth") == 459354433585543946
    assert lock_key("booth") != lock_key("annex")
    assert -(2**63) <= lock_key("booth") < 2**63


async def test_listen_reconnects_and_reports_what_it_may_have_missed(pg_url: str) -> None:
    store = PostgresEventStore(pg_url)
    store.reconnect_delay_s = 2.0  # long enough that the append below happens while it is away
    heard: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    ready = asyncio.Event()
    listening = asyncio.create_task(store.listen(lambda s, q: heard.put_nowait((s, q)), ready))
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
        ready.clear()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%%'"
            ).fetchall()
            assert killed == [(True,)]

        def append() -> None:  # while the listener is away: its NOTIFY is lost
            with store.transaction("booth") as tx:
                tx.append([store_event(n=1), store_event(n=2)])

        await asyncio.to_thread(append)
        assert not ready.is_set(), "the listener came back before the append: nothing was missed"
        await asyncio.wait_for(ready.wait(), timeout=15)
        assert await asyncio.wait_for(heard.get(), timeout=10) == ("booth", 2)
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        store.close()

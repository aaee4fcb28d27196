"""The PostgreSQL event store: the contract, and hearing other processes' appends."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from core.eventstore.base import open_event_store
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


def test_store_lock_keys_are_stable_64_bit_numbers() -> None:
    # Fixed for good: processes of two releases on one database must lock the same key.
    assert lock_key("booth") == 459354433585543946
    assert lock_key("booth") != lock_key("annex")
    assert -(2**63) <= lock_key("booth") < 2**63

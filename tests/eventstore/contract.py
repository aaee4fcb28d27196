"""The behaviour every event store must have: one suite, subclassed once per backend."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from core.eventstore.base import (
    EventStore,
    IdempotencyRecord,
    NumberLease,
    StoreBusyError,
    StoreVersionError,
    open_event_store,
)
from tests.eventstore.events_for_tests import order_event, store_event

DAY = date(2026, 11, 27)


class Boom(Exception):
    pass


class EventStoreContract:
    """Subclasses provide the `url` fixture (a fresh, empty database) and `make_newer`."""

    @pytest.fixture
    def url(self) -> str:
        raise NotImplementedError

    def make_newer(self, url: str) -> None:
        """Mark the database as written by a newer schema version."""
        raise NotImplementedError

    def open_impatient(self, url: str, busy_timeout_s: float) -> EventStore:
        """The store with a short wait for the write lock."""
        raise NotImplementedError

    @pytest.fixture
    def opened(self, url: str) -> Iterator[list[EventStore]]:
        stores: list[EventStore] = []
        yield stores
        for store in stores:
            store.close()

    @pytest.fixture
    def store(self, url: str, opened: list[EventStore]) -> EventStore:
        opened.append(open_event_store(url))
        return opened[-1]

    def reopen(self, url: str, opened: list[EventStore]) -> EventStore:
        opened.append(open_event_store(url))
        return opened[-1]

    # -- the log

    def test_append_numbers_events_from_one_without_gaps(self, store: EventStore) -> None:
        events = [store_event(n=n) for n in range(5)]
        with store.transaction("booth") as tx:
            stored = tx.append(events[:2])
            stored += tx.append(events[2:])
        assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
        assert [e.id for e in stored] == [e.id for e in events]
        assert store.read("booth") == stored
        assert store.last_seq("booth") == 5

    def test_append_is_idempotent_by_event_id(self, store: EventStore) -> None:
        first, second = store_event(n=1), store_event(n=2)
        with store.transaction("booth") as tx:
            assert [e.seq for e in tx.append([first, first])] == [1]
        with store.transaction("booth") as tx:
            again = tx.append([first, second, second])
        assert [(e.id, e.seq) for e in again] == [(second.id, 2)]
        assert [e.id for e in store.read("booth")] == [first.id, second.id]

    def test_new_events_are_appended_without_asking_the_log(self, store: EventStore) -> None:
        first, second = store_event(n=1), store_event(n=2)
        with store.transaction("booth") as tx:
            assert [e.seq for e in tx.append([first, second], new=True)] == [1, 2]
        assert [e.id for e in store.read("booth")] == [first.id, second.id]
        # A caller that says "new" of a known id gets a failed append, never a duplicate.
        refused = (sqlite3.IntegrityError, psycopg.IntegrityError)
        with pytest.raises(refused), store.transaction("booth") as tx:
            tx.append([first], new=True)
        assert [e.id for e in store.read("booth")] == [first.id, second.id]

    def test_an_id_already_in_another_store_is_skipped(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            tx.append([store_event("booth", id="same-id")])
        with store.transaction("annex") as tx:
            assert tx.append([store_event("annex", id="same-id")]) == []
            assert tx.known_ids(["same-id", "other"]) == {"same-id"}
        assert store.read("annex") == []

    def test_seq_sent_with_an_event_is_ignored(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            stored = tx.append([store_event(n=1).with_seq(77)])
        assert stored[0].seq == 1
        assert store.read("booth")[0].seq == 1

    def test_each_store_has_its_own_gapless_seq(self, store: EventStore) -> None:
        for n in range(3):
            for name in ("booth", "annex"):
                with store.transaction(name) as tx:
                    tx.append([store_event(name, n=n)])
        assert [e.seq for e in store.read("booth")] == [1, 2, 3]
        assert [e.seq for e in store.read("annex")] == [1, 2, 3]
        assert {e.store for e in store.read("annex")} == {"annex"}

    def test_an_event_of_another_store_is_refused_and_nothing_is_kept(self, store: EventStore) -> None:
        with pytest.raises(ValueError, match="annex"), store.transaction("booth") as tx:
            tx.append([store_event("booth", n=1), store_event("annex", n=2)])
        assert store.read("booth") == []
        assert store.read("annex") == []

    def test_read_after_a_cursor_with_a_limit(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            tx.append([store_event(n=n) for n in range(10)])
        assert [e.seq for e in store.read("booth", after=3, limit=4)] == [4, 5, 6, 7]
        assert [e.seq for e in store.read("booth", after=8)] == [9, 10]
        assert store.read("booth", after=10) == []
        assert store.read("nobody") == []
        assert [e.seq for e in store.iter_all("booth", batch=3)] == list(range(1, 11))

    def test_readers_see_only_committed_events_and_the_writer_its_own(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            tx.append([store_event(n=1)])
            assert [e.seq for e in tx.read_after(0)] == [1]
            assert store.read("booth") == []
            assert store.last_seq("booth") == 0
        assert [e.seq for e in store.read("booth")] == [1]

    def test_read_order_and_order_store(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            tx.append([order_event("o-1", n=1), order_event("o-2", n=2), store_event(n=3)])
            tx.append([order_event("o-1", n=4)])
        with store.transaction("annex") as tx:
            tx.append([order_event("o-3", "annex", n=5)])
        assert [(e.order_id, e.seq) for e in store.read_order("o-1")] == [("o-1", 1), ("o-1", 4)]
        assert store.read_order("missing") == []
        assert store.order_store("o-1") == "booth"
        assert store.order_store("o-3") == "annex"
        assert store.order_store("missing") is None

    def test_events_come_back_as_they_went_in(self, store: EventStore) -> None:
        event = order_event("o-1", n=1)
        with store.transaction("booth") as tx:
            tx.append([event])
        assert store.read("booth") == [event.with_seq(1)]

    def test_committed_events_survive_closing_and_reopening(
        self, url: str, store: EventStore, opened: list[EventStore]
    ) -> None:
        with store.transaction("booth") as tx:
            tx.append([store_event(n=1), store_event(n=2)])
        store.close()
        again = self.reopen(url, opened)
        assert [e.seq for e in again.read("booth")] == [1, 2]
        with again.transaction("booth") as tx:
            assert [e.seq for e in tx.append([store_event(n=3)])] == [3]

    def test_threads_appending_at_once_get_distinct_gapless_seqs(self, store: EventStore) -> None:
        def work() -> None:
            for n in range(15):
                with store.transaction("booth") as tx:
                    tx.append([store_event(n=n)])

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [e.seq for e in store.read("booth")] == list(range(1, 61))

    def test_a_big_batch_is_deduplicated_against_the_whole_log(self, store: EventStore) -> None:
        events = [store_event(n=n) for n in range(1200)]
        with store.transaction("booth") as tx:
            assert len(tx.append(events)) == 1200
        again = [*events[::-1], store_event(n=5000), store_event(n=5001)]
        with store.transaction("booth") as tx:
            assert len(tx.known_ids([e.id for e in again])) == 1200
            assert [e.seq for e in tx.append(again)] == [1201, 1202]
        assert store.last_seq("booth") == 1202

    def test_a_writer_gives_up_clearly_when_the_lock_stays_taken(
        self, url: str, store: EventStore, opened: list[EventStore]
    ) -> None:
        impatient = self.open_impatient(url, 0.3)
        opened.append(impatient)
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.transaction("booth") as tx:
                tx.append([store_event(n=1)])
                holding.set()
                release.wait(30)

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert holding.wait(10)
            with pytest.raises(StoreBusyError, match="locked"), impatient.transaction("booth") as tx:
                tx.append([store_event(n=2)])
        finally:
            release.set()
            holder.join()
        with impatient.transaction("booth") as tx:
            assert [e.seq for e in tx.append([store_event(n=3)])] == [2]
        assert len(store.read("booth")) == 2

    def test_reads_do_not_wait_for_a_writer_holding_the_lock(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            tx.append([order_event("o-1", n=1)])
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.transaction("booth") as tx:
                tx.append([store_event(n=2)])
                holding.set()
                release.wait(30)

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert holding.wait(10)
            assert [e.seq for e in store.read("booth")] == [1]
            assert store.last_seq("booth") == 1
            assert store.order_store("o-1") == "booth"
        finally:
            release.set()
            holder.join()
        assert store.last_seq("booth") == 2

    # -- order numbers and leases

    def test_numbers_start_at_one_each_day_and_never_repeat(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            assert tx.peek_number(DAY) == 1
            assert tx.take_numbers(DAY) == (1, 1)
            assert tx.take_numbers(DAY) == (2, 2)
            assert tx.peek_number(DAY) == 3
            assert tx.peek_number(DAY) == 3
            assert tx.take_numbers(DAY, 5) == (3, 7)
            assert tx.take_numbers(DAY + timedelta(days=1)) == (1, 1)
        with store.transaction("annex") as tx:
            assert tx.take_numbers(DAY) == (1, 1)
        with store.transaction("booth") as tx:
            assert tx.take_numbers(DAY) == (8, 8)
            with pytest.raises(ValueError):
                tx.take_numbers(DAY, 0)

    def test_leases_are_recorded_and_listed(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            first = tx.take_numbers(DAY, 50)
            tx.record_lease(NumberLease("till-1", DAY, *first))
            second = tx.take_numbers(DAY, 50)
            tx.record_lease(NumberLease("till-1", DAY, *second))
            tx.record_lease(NumberLease("till-2", DAY, *tx.take_numbers(DAY, 10)))
        assert store.leases("booth", "till-1", DAY) == [
            NumberLease("till-1", DAY, 1, 50),
            NumberLease("till-1", DAY, 51, 100),
        ]
        assert store.leases("booth", "till-2", DAY) == [NumberLease("till-2", DAY, 101, 110)]
        assert store.leases("booth", "till-1", DAY + timedelta(days=1)) == []
        assert store.leases("annex", "till-1", DAY) == []

    # -- QR code uses

    def test_code_uses_are_counted_per_window_and_store(self, store: EventStore) -> None:
        with store.transaction("booth") as tx:
            assert tx.code_uses(100) == 0
            assert tx.use_code(100) == 1
            assert tx.use_code(100) == 2
            assert tx.use_code(101) == 1
        with store.transaction("booth") as tx:
            assert tx.code_uses(100) == 2
        with store.transaction("annex") as tx:
            assert tx.code_uses(100) == 0

    # -- idempotency records

    def test_idempotency_records_are_kept_replaced_and_purged(self, store: EventStore) -> None:
        old = IdempotencyRecord("h1", 201, b'{"id": "o-1"}', datetime(2026, 11, 26, 9, 0, 0, 1, tzinfo=UTC))
        new = IdempotencyRecord("h2", 200, b"\x00raw", datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
        with store.transaction("booth") as tx:
            assert tx.get_idempotent("token:/orders", "k1") is None
            tx.put_idempotent("token:/orders", "k1", old)
            tx.put_idempotent("token:/orders", "k2", new)
        with store.transaction("booth") as tx:
            assert tx.get_idempotent("token:/orders", "k1") == old
            assert tx.get_idempotent("other:/orders", "k1") is None
        assert store.purge_idempotency(datetime(2026, 11, 27, 0, 0, tzinfo=UTC)) == 1
        with store.transaction("booth") as tx:
            assert tx.get_idempotent("token:/orders", "k1") is None
            assert tx.get_idempotent("token:/orders", "k2") == new
            replaced = IdempotencyRecord("h3", 202, b"x", new.created_at)
            tx.put_idempotent("token:/orders", "k2", replaced)
            assert tx.get_idempotent("token:/orders", "k2") == replaced

    def test_a_batch_starts_with_the_events_after_its_seq_and_the_records_of_its_keys(
        self, store: EventStore
    ) -> None:
        kept = IdempotencyRecord("h1", 201, b'{"id": "o-1"}', datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
        with store.transaction("booth") as tx:
            tx.append([store_event(n=n) for n in range(3)])
            tx.put_idempotent("token:/orders", "k1", kept)
        with store.transaction("booth") as tx:
            keys = [("token:/orders", "k1"), ("token:/orders", "k2"), ("other:/orders", "k1")]
            events, records = tx.start_batch(1, keys)
            assert [e.seq for e in events] == [2, 3]
            assert records == {("token:/orders", "k1"): kept}
            assert [e.seq for e in tx.append([store_event(n=9)])] == [4]
        with store.transaction("booth") as tx:
            assert tx.start_batch(4, []) == ([], {})
        with store.transaction("annex") as tx:  # a scope names its store (in its path), not the log
            assert tx.start_batch(0, keys) == ([], {("token:/orders", "k1"): kept})

    # -- secrets

    def test_secrets_are_random_named_and_shared_by_every_instance(
        self, url: str, store: EventStore, opened: list[EventStore]
    ) -> None:
        other = self.reopen(url, opened)
        key = other.secret("codes")
        assert len(key) >= 32
        assert store.secret("codes") == key
        assert store.secret("other") != key
        store.close()
        assert self.reopen(url, opened).secret("codes") == key

    # -- transactions

    def test_a_failed_savepoint_undoes_only_its_own_step(self, store: EventStore) -> None:
        kept = store_event(n=1)
        with store.transaction("booth") as tx:
            tx.append([kept])
            tx.take_numbers(DAY)
            with pytest.raises(Boom), tx.savepoint():
                tx.append([store_event(n=2), store_event(n=3)])
                tx.take_numbers(DAY)
                tx.use_code(7)
                raise Boom
            with tx.savepoint():
                later = tx.append([store_event(n=4)])
            assert tx.code_uses(7) == 0
            assert tx.peek_number(DAY) == 2
        assert [e.seq for e in later] == [2]
        assert [e.id for e in store.read("booth")] == [kept.id, later[0].id]

    def test_a_transaction_that_raises_leaves_nothing_behind(self, store: EventStore) -> None:
        record = IdempotencyRecord("h", 201, b"{}", datetime(2026, 11, 27, tzinfo=UTC))
        with store.transaction("booth") as tx, pytest.raises(ValueError, match="timezone"):
            tx.put_idempotent("s", "k", IdempotencyRecord("h", 201, b"{}", datetime(2026, 11, 27)))
        with pytest.raises(Boom), store.transaction("booth") as tx:
            tx.append([order_event("o-1", n=1)])
            tx.record_lease(NumberLease("till", DAY, *tx.take_numbers(DAY, 10)))
            tx.use_code(3)
            tx.put_idempotent("s", "k", record)
            raise Boom
        assert store.read("booth") == []
        assert store.order_store("o-1") is None
        assert store.leases("booth", "till", DAY) == []
        with store.transaction("booth") as tx:
            assert tx.peek_number(DAY) == 1
            assert tx.code_uses(3) == 0
            assert tx.get_idempotent("s", "k") is None
            assert [e.seq for e in tx.append([order_event("o-2", n=2)])] == [1]

    # -- schema

    def test_a_database_from_a_newer_version_is_refused(self, url: str, store: EventStore) -> None:
        store.close()
        self.make_newer(url)
        with pytest.raises(StoreVersionError, match="newer"):
            open_event_store(url)

    # -- following appends

    async def test_listen_hears_appends(self, store: EventStore) -> None:
        heard: list[tuple[str, int]] = []
        got_two = asyncio.Event()

        def on_append(name: str, seq: int) -> None:
            heard.append((name, seq))
            if seq >= 2:
                got_two.set()

        ready = asyncio.Event()
        listening = asyncio.create_task(store.listen(on_append, ready=ready))
        await asyncio.wait_for(ready.wait(), timeout=10)

        def append_two() -> None:
            with store.transaction("booth") as tx:
                tx.append([store_event(n=1), store_event(n=2)])

        await asyncio.to_thread(append_two)
        await asyncio.wait_for(got_two.wait(), timeout=10)
        listening.cancel()
        with pytest.raises(asyncio.CancelledError):
            await listening
        assert ("booth", 2) in heard

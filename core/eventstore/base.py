"""The event store: one interface, two implementations (SQLite, PostgreSQL).

A store keeps, per stall (`store` id):
- the event log: append-only, idempotent by event id, each event numbered with a per-store
  `seq` (1, 2, 3, … with no gaps) when it is appended;
- the order-number counter per business day, and the number leases given to devices;
- the use count of each QR-code window;
- idempotency records of answered requests;
- named secrets (the key codes are made from), shared by every process on the database.

Every write happens inside `transaction(store)`, which holds that store's write lock across
processes for its whole duration (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: an advisory
transaction lock), so deciding against the log and appending is one atomic step. When the
`with` block ends without an exception, the transaction is committed durably before
`__exit__` returns: an acknowledged append survives `kill -9` and power loss. An exception
inside the block rolls the whole transaction back and propagates.

Do not nest transactions in one thread: SQLite locks the whole database, so an inner
`transaction()` would wait for the outer one forever (until the busy timeout). Transactions
block while they wait for the lock: async code runs them in a worker thread.

Following appends: `listen(on_append)` calls `on_append(store, last_seq)` after commits.
SQLite hears the commits made through this `EventStore` object (the embedded backend is one
process; several processes on one SQLite file are safe for correctness but do not hear each
other live). PostgreSQL hears every process's commits through LISTEN/NOTIFY.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime

from core.events import Event


class StoreError(Exception):
    """The database cannot be used as an event store."""


class StoreVersionError(StoreError):
    """The database was written by a newer version of this software; it is never migrated down."""


class StoreBusyError(StoreError):
    """Another writer held the store's lock for longer than the busy timeout."""


class StoreUnreadableError(StoreError):
    """The file is not an event store database (or it is corrupt)."""


OnAppend = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A successful response kept so a retry with the same key gets it again."""

    request_hash: str
    status: int
    body: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NumberLease:
    device: str
    day: date
    start: int
    end: int  # included


class StoreTransaction(ABC):
    """One store's write transaction. All methods act inside the open transaction."""

    store: str
    writes: int = 0  # writes begun (append, numbers, lease, code use, idempotency record)

    @abstractmethod
    def read_after(self, after: int, limit: int | None = None) -> list[Event]:
        """This store's events with seq > after, in seq order (sees this transaction's own)."""

    @abstractmethod
    def append(self, events: Sequence[Event], *, new: bool = False) -> list[Event]:
        """Append events, skipping any whose id the log already holds (in any store).

        Returns the newly stored events with their `seq` set, in order. A `seq` already on
        an incoming event is ignored; an id twice in `events` is stored once. Every event
        must belong to this transaction's store (else ValueError).

        `new=True`: the caller made these events just now (fresh random ids), so the log is
        not asked which ids it holds (a query, or a round trip to the server, saved on
        every step of the backend). A known id then fails the append instead of being
        skipped.
        """

    @abstractmethod
    def known_ids(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these event ids the log already holds."""

    @abstractmethod
    def peek_number(self, day: date) -> int:
        """The next order number of this business day, without taking it (1 on a new day)."""

    @abstractmethod
    def take_numbers(self, day: date, count: int = 1) -> tuple[int, int]:
        """Take `count` (>= 1) consecutive numbers; returns (first, last), both included.

        Numbers start at 1 each business day and are never given twice.
        """

    @abstractmethod
    def record_lease(self, lease: NumberLease) -> None:
        """Remember that `device` holds this block (taken with `take_numbers`)."""

    @abstractmethod
    def code_uses(self, window: int) -> int:
        """How many orders the code of this window has started."""

    @abstractmethod
    def use_code(self, window: int) -> int:
        """Count one more use of this window's code; returns the new count."""

    @abstractmethod
    def get_idempotent(self, scope: str, key: str) -> IdempotencyRecord | None:
        """The record kept for this key (scope: credential + endpoint), or None."""

    def start_batch(
        self, after: int, keys: Sequence[tuple[str, str]]
    ) -> tuple[list[Event], dict[tuple[str, str], IdempotencyRecord]]:
        """What a batch of steps reads before its first decision: the store's events after
        `after`, and the records kept under the batch's idempotency keys (scope, key). A
        store that pays a round trip per query (PostgreSQL) asks for them all at once."""
        records = {}
        for scope, key in keys:
            if (record := self.get_idempotent(scope, key)) is not None:
                records[scope, key] = record
        return self.read_after(after), records

    @abstractmethod
    def put_idempotent(self, scope: str, key: str, record: IdempotencyRecord) -> None:
        """Keep a record (replacing one under the same key); `created_at` must be aware."""

    @abstractmethod
    def savepoint(self) -> AbstractContextManager[None]:
        """A nested step: an exception inside undoes that step alone, then propagates."""


class EventStore(ABC):
    """The durable log and counters of any number of stores."""

    @abstractmethod
    def transaction(self, store: str) -> AbstractContextManager[StoreTransaction]:
        """Open a write transaction holding `store`'s lock across processes.

        Waits for the lock up to the store's busy timeout (60 s), then raises StoreBusyError.
        """

    @abstractmethod
    def read(self, store: str, after: int = 0, limit: int | None = None) -> list[Event]:
        """Committed events of `store` with seq > after, in seq order."""

    @abstractmethod
    def read_order(self, order_id: str) -> list[Event]:
        """Committed events of one order, in seq order."""

    @abstractmethod
    def order_store(self, order_id: str) -> str | None:
        """The store an order belongs to, or None if the log has no such order."""

    @abstractmethod
    def last_seq(self, store: str) -> int:
        """The seq of `store`'s last committed event (0 when none)."""

    @abstractmethod
    def leases(self, store: str, device: str, day: date) -> list[NumberLease]:
        """The number blocks leased to `device` on `day`."""

    @abstractmethod
    def secret(self, name: str) -> bytes:
        """A named random secret, created on first use and the same for every process."""

    @abstractmethod
    def purge_idempotency(self, older_than: datetime) -> int:
        """Forget idempotency records created before `older_than`; returns how many."""

    @abstractmethod
    def close(self) -> None: ...

    async def listen(self, on_append: OnAppend, ready: asyncio.Event | None = None) -> None:
        """Call `on_append(store, seq)` after commits until cancelled (see the module doc).

        `seq` is the store's last seq after the commit; calls may be coalesced or repeated,
        so a follower reads `read(store, after=its_cursor)` when called. Runs on the
        caller's event loop; `on_append` is called there, never from another thread.
        `ready` is set once listening: every commit after that is heard, so a follower that
        reads its backlog after `ready` misses nothing.
        """
        loop = asyncio.get_running_loop()
        listener = (loop, on_append)
        with self._listeners_lock():
            self._listeners().append(listener)
        if ready is not None:
            ready.set()
        try:
            await asyncio.Event().wait()  # until cancelled
        finally:
            with self._listeners_lock():
                self._listeners().remove(listener)

    def _announce(self, store: str, seq: int) -> None:
        """Tell this process's listeners about a commit (called by in-process stores)."""
        with self._listeners_lock():
            listeners = list(self._listeners())
        for loop, on_append in listeners:
            with contextlib.suppress(RuntimeError):  # that listener's loop has closed
                loop.call_soon_threadsafe(on_append, store, seq)

    def _listeners(self) -> list[tuple[asyncio.AbstractEventLoop, OnAppend]]:
        found: list[tuple[asyncio.AbstractEventLoop, OnAppend]] | None = self.__dict__.get("_listen_list")
        if found is None:
            found = self.__dict__.setdefault("_listen_list", [])
        return found

    def _listeners_lock(self) -> threading.Lock:
        lock: threading.Lock | None = self.__dict__.get("_listen_lock")
        if lock is None:
            lock = self.__dict__.setdefault("_listen_lock", threading.Lock())
        return lock

    def iter_all(self, store: str, batch: int = 5000) -> Iterator[Event]:
        """Every committed event of `store`, read in batches."""
        after = 0
        while chunk := self.read(store, after, batch):
            yield from chunk
            after = chunk[-1].seq or after


def open_event_store(url: str) -> EventStore:
    """The store a database URL names: sqlite:///relative.db, sqlite:////abs.db, postgresql://…

    `sqlite:///` alone (or `sqlite:///:memory:`) is a private temporary database.
    """
    if url.startswith("sqlite:///"):
        from core.eventstore.sqlite import SqliteEventStore

        return SqliteEventStore(url.removeprefix("sqlite:///") or ":memory:")
    if url.startswith(("postgresql://", "postgres://")):
        from core.eventstore.postgres import PostgresEventStore

        return PostgresEventStore(url)
    raise ValueError(f"unknown database URL {url!r}: use sqlite:///… or postgresql://…")

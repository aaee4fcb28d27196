"""The embedded event store: one SQLite file in WAL mode, safe for many threads and processes.

Writes take SQLite's database-wide write lock with `BEGIN IMMEDIATE` (that is the store lock
across processes; waiting for it is bounded by the busy timeout) and commit with
`synchronous=FULL`, so a commit is on disk before `transaction()` returns. Reads use their
own connections: in WAL mode they see the last commit and never block the writer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from core.events import Event
from core.eventstore.base import EventStore, NumberLease, StoreBusyError, StoreTransaction
from core.eventstore.pool import ConnectionPool
from core.eventstore.rows import events_from_bodies, micros
from core.eventstore.sqlite_schema import opening_error, prepare
from core.eventstore.sqlite_tx import SqliteTransaction


class SqliteEventStore(EventStore):
    """The event store in one SQLite file (":memory:": a private temporary file)."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_s: float = 60.0) -> None:
        self._temp_dir: str | None = None
        if str(path) in ("", ":memory:"):
            self._temp_dir = tempfile.mkdtemp(prefix="espresso-store-")
            path = os.path.join(self._temp_dir, "events.db")
        self.path = str(path)
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._secrets: dict[str, bytes] = {}
        conn = self._connect()
        try:
            prepare(conn, self.path, busy_timeout_s)
        finally:
            conn.close()
        self._writers = ConnectionPool(self._connect, _close, _idle)
        self._readers = ConnectionPool(self._connect_reader, _close, _idle, max_idle=8)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout_s,
                isolation_level=None,  # we say BEGIN and COMMIT ourselves
                check_same_thread=False,  # pooled: one thread at a time
                cached_statements=64,
            )
        except sqlite3.Error as error:
            raise opening_error(self.path, error) from error
        try:
            conn.execute("PRAGMA synchronous = FULL")  # a commit is on disk when it returns
        except sqlite3.Error as error:
            conn.close()
            raise opening_error(self.path, error) from error
        return conn

    def _connect_reader(self) -> sqlite3.Connection:
        conn = self._connect()
        conn.execute("PRAGMA query_only = 1")
        return conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the database lock; committed when the block ends."""
        if getattr(self._local, "writing", False):
            raise RuntimeError("nested write transaction in one thread: it would wait for itself")
        with self._writers.connection() as conn:
            self._local.writing = True
            try:
                self._begin(conn)
                try:
                    yield conn
                    conn.execute("COMMIT")
                finally:
                    _roll_back_if_open(conn)
            finally:
                self._local.writing = False

    def _begin(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") != "SQLITE_BUSY":
                raise
            raise StoreBusyError(
                f"{self.path} stayed locked by another writer for {self._busy_timeout_s:g} s"
            ) from error

    @contextmanager
    def transaction(self, store: str) -> Iterator[StoreTransaction]:
        with self._writing() as conn:
            tx = SqliteTransaction(conn, store)
            try:
                yield tx
                last = tx.last_seq() if tx.appended else 0
            finally:
                tx.close()
        if last:
            self._announce(store, last)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._readers.connection() as conn:
            yield conn

    def read(self, store: str, after: int = 0, limit: int | None = None) -> list[Event]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT body FROM events WHERE store = ? AND seq > ? ORDER BY seq LIMIT ?",
                (store, after, -1 if limit is None else limit),
            ).fetchall()
        return events_from_bodies(row[0] for row in rows)

    def read_order(self, order_id: str) -> list[Event]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT body FROM events WHERE order_id = ? ORDER BY seq", (order_id,)
            ).fetchall()
        return events_from_bodies(row[0] for row in rows)

    def order_store(self, order_id: str) -> str | None:
        with self._reading() as conn:
            row = conn.execute("SELECT store FROM events WHERE order_id = ? LIMIT 1", (order_id,)).fetchone()
        return None if row is None else str(row[0])

    def last_seq(self, store: str) -> int:
        with self._reading() as conn:
            row = conn.execute("SELECT max(seq) FROM events WHERE store = ?", (store,)).fetchone()
        return int(row[0] or 0)

    def leases(self, store: str, device: str, day: date) -> list[NumberLease]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT start_number, end_number FROM leases WHERE store = ? AND device = ? AND day = ?"
                " ORDER BY start_number",
                (store, device, day.isoformat()),
            ).fetchall()
        return [NumberLease(device=device, day=day, start=start, end=end) for start, end in rows]

    def secret(self, name: str) -> bytes:
        if name in self._secrets:
            return self._secrets[name]
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        if row is None:
            with self._writing() as conn:
                conn.execute("INSERT OR IGNORE INTO secrets VALUES (?, ?)", (name, os.urandom(32)))
                row = conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        self._secrets[name] = bytes(row[0])
        return self._secrets[name]

    def purge_idempotency(self, older_than: datetime) -> int:
        with self._writing() as conn:
            cursor = conn.execute("DELETE FROM idempotency WHERE created_us < ?", (micros(older_than),))
            return cursor.rowcount

    def close(self) -> None:
        self._writers.close()
        self._readers.close()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None


def _close(conn: sqlite3.Connection) -> None:
    conn.close()


def _roll_back_if_open(conn: sqlite3.Connection) -> None:
    """Undo an unfinished transaction; a failure here must not hide the error that caused it."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the pool sees the connection still in a transaction and discards it


def _idle(conn: sqlite3.Connection) -> bool:
    """Only a connection left outside any transaction goes back to the pool."""
    try:
        return not conn.in_transaction
    except sqlite3.Error:
        return False

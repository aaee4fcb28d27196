"""The scale-out event store: PostgreSQL, shared by any number of backend processes.

A store's writes are serialised by `pg_advisory_xact_lock` on a stable hash of its id, so
different stores write in parallel. Each append transaction sends
`NOTIFY espresso_events, '<store>:<last seq>'`, which PostgreSQL delivers at commit to every
listening process; `listen` turns those into `on_append` calls.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg import pq

from core.events import Event
from core.eventstore.base import (
    EventStore,
    NumberLease,
    OnAppend,
    StoreBusyError,
    StoreError,
    StoreTransaction,
)
from core.eventstore.pool import ConnectionPool
from core.eventstore.postgres_schema import CHANNEL, lock_key, prepare
from core.eventstore.postgres_tx import READ_AFTER, Conn, PostgresTransaction
from core.eventstore.rows import events_from_bodies

log = logging.getLogger(__name__)


class PostgresEventStore(EventStore):
    reconnect_delay_s = 1.0  # between attempts to listen again after a lost connection

    def __init__(self, url: str, *, busy_timeout_s: float = 60.0, max_idle: int = 4) -> None:
        self.url = url
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._secrets: dict[str, bytes] = {}
        conn = self._connect()
        try:
            prepare(conn)
        finally:
            conn.close()
        self._pool = ConnectionPool(self._connect, _close, _idle, max_idle=max_idle)

    def _connect(self) -> Conn:
        try:
            conn = psycopg.connect(self.url, autocommit=True)  # transactions are explicit
        except psycopg.OperationalError as error:
            raise StoreError(f"cannot reach the PostgreSQL event store: {error}") from error
        conn.execute(b"SET lock_timeout = %d" % int(self._busy_timeout_s * 1000))
        return conn

    @contextmanager
    def transaction(self, store: str) -> Iterator[StoreTransaction]:
        if getattr(self._local, "writing", False):
            raise RuntimeError("nested write transaction in one thread: open one at a time")
        self._local.writing = True
        try:
            # Pipeline mode: statements whose answer nobody waits for (inserts, upserts,
            # savepoints, the notify) travel with the next one that is waited for, so a
            # step costs a few round trips to the server instead of about ten.
            with self._pool.connection() as conn, conn.pipeline() as pipeline, conn.transaction():
                try:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(store),)).fetchone()
                except psycopg.errors.LockNotAvailable as error:
                    raise StoreBusyError(
                        f"store {store!r} stayed locked by another writer for {self._busy_timeout_s:g} s"
                    ) from error
                tx = PostgresTransaction(conn, store, pipeline)
                try:
                    yield tx
                    if tx.appended:  # delivered to listeners when (and only if) this commits
                        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{store}:{tx.last_seq()}"))
                finally:
                    tx.close()
        finally:
            self._local.writing = False

    def _rows(self, query: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return conn.execute(query.encode(), params).fetchall()

    def read(self, store: str, after: int = 0, limit: int | None = None) -> list[Event]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        return events_from_bodies(row[0] for row in self._rows(READ_AFTER, (store, after, limit)))

    def read_order(self, order_id: str) -> list[Event]:
        rows = self._rows("SELECT body FROM events WHERE order_id = %s ORDER BY seq", (order_id,))
        return events_from_bodies(row[0] for row in rows)

    def order_store(self, order_id: str) -> str | None:
        rows = self._rows("SELECT store FROM events WHERE order_id = %s LIMIT 1", (order_id,))
        return str(rows[0][0]) if rows else None

    def last_seq(self, store: str) -> int:
        rows = self._rows("SELECT max(seq) FROM events WHERE store = %s", (store,))
        return int(rows[0][0] or 0)

    def leases(self, store: str, device: str, day: date) -> list[NumberLease]:
        rows = self._rows(
            "SELECT start_number, end_number FROM leases WHERE store = %s AND device = %s AND day = %s"
            " ORDER BY start_number",
            (store, device, day),
        )
        return [NumberLease(device=device, day=day, start=start, end=end) for start, end in rows]

    def secret(self, name: str) -> bytes:
        if name not in self._secrets:
            with self._pool.connection() as conn:
                conn.execute(
                    "INSERT INTO secrets (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                    (name, os.urandom(32)),
                )
                row = conn.execute("SELECT value FROM secrets WHERE name = %s", (name,)).fetchone()
            assert row is not None
            self._secrets[name] = bytes(row[0])
        return self._secrets[name]

    def purge_idempotency(self, older_than: datetime) -> int:
        if older_than.tzinfo is None:
            raise ValueError("older_than must carry a timezone")
        with self._pool.connection() as conn:
            return conn.execute("DELETE FROM idempotency WHERE created_at < %s", (older_than,)).rowcount

    def close(self) -> None:
        self._pool.close()

    async def listen(self, on_append: OnAppend, ready: asyncio.Event | None = None) -> None:
        """Hear every process's appends through LISTEN; reconnects after a lost connection.

        After a reconnect, `on_append` is called with every store's last seq, since
        notifications sent while disconnected are lost.
        """
        reconnected = False
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if reconnected:
                        cursor = await conn.execute("SELECT store, max(seq) FROM events GROUP BY store")
                        for store, seq in await cursor.fetchall():
                            _call(on_append, store, int(seq))
                    if ready is not None:
                        ready.set()
                    async for note in conn.notifies():
                        store, _, seq = note.payload.rpartition(":")
                        _call(on_append, store, int(seq))
            except psycopg.OperationalError as error:
                log.warning("listening for appends failed (%s); reconnecting", error)
                await asyncio.sleep(self.reconnect_delay_s)
            reconnected = True


def _call(on_append: OnAppend, store: str, seq: int) -> None:
    """A follower's mistake must not stop the others from hearing appends."""
    try:
        on_append(store, seq)
    except Exception:
        log.exception("on_append(%r, %d) failed", store, seq)


def _close(conn: Conn) -> None:
    conn.close()


def _idle(conn: Conn) -> bool:
    """Only an open connection outside any transaction goes back to the pool."""
    return not conn.closed and conn.info.transaction_status == pq.TransactionStatus.IDLE

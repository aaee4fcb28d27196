"""One write transaction of the SQLite event store (the database lock is held throughout)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from core.events import Event
from core.eventstore.base import IdempotencyRecord, NumberLease
from core.eventstore.locked_tx import LockedTransaction
from core.eventstore.rows import events_from_bodies, from_micros, micros

INSERT_EVENT = "INSERT INTO events (store, seq, id, order_id, type, time, body) VALUES (?, ?, ?, ?, ?, ?, ?)"
IDS_PER_QUERY = 500


class SqliteTransaction(LockedTransaction):
    def __init__(self, conn: sqlite3.Connection, store: str) -> None:
        super().__init__(store)
        self._conn: sqlite3.Connection | None = conn
        self._savepoints = 0

    def close(self) -> None:
        self._conn = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("this transaction has ended")
        return self._conn

    def _read_last_seq(self) -> int:
        row = self._db.execute("SELECT max(seq) FROM events WHERE store = ?", (self.store,)).fetchone()
        return int(row[0] or 0)

    def read_after(self, after: int, limit: int | None = None) -> list[Event]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        rows = self._db.execute(
            "SELECT body FROM events WHERE store = ? AND seq > ? ORDER BY seq LIMIT ?",
            (self.store, after, -1 if limit is None else limit),
        ).fetchall()
        return events_from_bodies(row[0] for row in rows)

    def _insert(self, events: Sequence[Event]) -> None:
        rows = [
            (self.store, e.seq, e.id, e.order_id, e.type, e.time.isoformat(), e.model_dump_json())
            for e in events
        ]
        self._db.executemany(INSERT_EVENT, rows)

    def known_ids(self, event_ids: Sequence[str]) -> set[str]:
        known: set[str] = set()
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id FROM events WHERE id IN ({marks})", chunk)
            known.update(row[0] for row in rows)
        return known

    def _read_number(self, day: date) -> int | None:
        row = self._db.execute(
            "SELECT next FROM numbers WHERE store = ? AND day = ?", (self.store, day.isoformat())
        ).fetchone()
        return None if row is None else int(row[0])

    def _write_number(self, day: date, next_number: int) -> None:
        self._db.execute(
            "INSERT INTO numbers (store, day, next) VALUES (?, ?, ?)"
            " ON CONFLICT (store, day) DO UPDATE SET next = excluded.next",
            (self.store, day.isoformat(), next_number),
        )

    def record_lease(self, lease: NumberLease) -> None:
        self.writes += 1
        self._db.execute(
            "INSERT INTO leases (store, day, device, start_number, end_number) VALUES (?, ?, ?, ?, ?)",
            (self.store, lease.day.isoformat(), lease.device, lease.start, lease.end),
        )

    def _read_code_uses(self, window: int) -> int | None:
        row = self._db.execute(
            "SELECT uses FROM code_uses WHERE store = ? AND code_window = ?", (self.store, window)
        ).fetchone()
        return None if row is None else int(row[0])

    def use_code(self, window: int) -> int:
        self.writes += 1
        row = self._db.execute(
            "INSERT INTO code_uses (store, code_window, uses) VALUES (?, ?, 1)"
            " ON CONFLICT (store, code_window) DO UPDATE SET uses = uses + 1 RETURNING uses",
            (self.store, window),
        ).fetchone()
        self._code_uses[window] = uses = int(row[0])
        return uses

    def get_idempotent(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self._db.execute(
            "SELECT request_hash, status, body, created_us FROM idempotency WHERE scope = ? AND idem_key = ?",
            (scope, key),
        ).fetchone()
        if row is None:
            return None
        return IdempotencyRecord(
            request_hash=row[0], status=int(row[1]), body=bytes(row[2]), created_at=from_micros(row[3])
        )

    def put_idempotent(self, scope: str, key: str, record: IdempotencyRecord) -> None:
        self.writes += 1
        self._db.execute(
            "INSERT OR REPLACE INTO idempotency (scope, idem_key, request_hash, status, body, created_us)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (scope, key, record.request_hash, record.status, bytes(record.body), micros(record.created_at)),
        )

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        self._savepoints += 1
        name = f"step_{self._savepoints}"
        self._db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._db.execute(f"ROLLBACK TO {name}")
            self._db.execute(f"RELEASE {name}")
            self._forget()  # the undone step may have appended or counted
            raise
        else:
            self._db.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

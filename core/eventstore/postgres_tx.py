"""One write transaction of the PostgreSQL event store (holding the store's advisory lock)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date
from typing import Any

import psycopg

from core.events import Event
from core.eventstore.base import IdempotencyRecord, NumberLease
from core.eventstore.locked_tx import LockedTransaction
from core.eventstore.rows import events_from_bodies

INSERT_EVENT = (
    "INSERT INTO events (store, seq, id, order_id, type, time, body) VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
USE_CODE = (
    "INSERT INTO code_uses (store, code_window, uses) VALUES (%s, %s, 1)"
    " ON CONFLICT (store, code_window) DO UPDATE SET uses = code_uses.uses + 1"
)
READ_AFTER = "SELECT body FROM events WHERE store = %s AND seq > %s ORDER BY seq LIMIT %s"
LAST_SEQ = "SELECT max(seq) FROM events WHERE store = %s"
IDEMPOTENCY_COLUMNS = "request_hash, status, body, created_at"
GET_IDEMPOTENT = f"SELECT {IDEMPOTENCY_COLUMNS} FROM idempotency WHERE scope = %s AND idem_key = %s"
GET_IDEMPOTENT_MANY = (
    f"SELECT scope, idem_key, {IDEMPOTENCY_COLUMNS} FROM idempotency"
    " WHERE (scope, idem_key) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
)

Conn = psycopg.Connection[Any]


class PostgresTransaction(LockedTransaction):
    def __init__(self, conn: Conn, store: str, pipeline: psycopg.Pipeline | None = None) -> None:
        super().__init__(store)
        self._conn: Conn | None = conn
        self._pipeline = pipeline  # in pipeline mode, a savepoint's end waits for its writes

    def close(self) -> None:
        self._conn = None

    @property
    def _db(self) -> Conn:
        if self._conn is None:
            raise RuntimeError("this transaction has ended")
        return self._conn

    def _one(self, query: str, params: Sequence[Any]) -> Any:
        row = self._db.execute(query.encode(), params).fetchone()
        return None if row is None else row[0]

    def _read_last_seq(self) -> int:
        return int(self._one(LAST_SEQ, (self.store,)) or 0)

    def read_after(self, after: int, limit: int | None = None) -> list[Event]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        rows = self._db.execute(READ_AFTER, (self.store, after, limit)).fetchall()
        return events_from_bodies(row[0] for row in rows)

    def _insert(self, events: Sequence[Event]) -> None:
        rows = [(self.store, e.seq, e.id, e.order_id, e.type, e.time, e.model_dump_json()) for e in events]
        with self._db.cursor() as cursor:
            cursor.executemany(INSERT_EVENT, rows)

    def known_ids(self, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        rows = self._db.execute("SELECT id FROM events WHERE id = ANY(%s)", (list(event_ids),))
        return {row[0] for row in rows}

    def _read_number(self, day: date) -> int | None:
        value = self._one("SELECT next FROM numbers WHERE store = %s AND day = %s", (self.store, day))
        return None if value is None else int(value)

    def _write_number(self, day: date, next_number: int) -> None:
        # No answer to wait for: in pipeline mode it travels with the next query.
        self._db.execute(
            "INSERT INTO numbers (store, day, next) VALUES (%s, %s, %s)"
            " ON CONFLICT (store, day) DO UPDATE SET next = excluded.next",
            (self.store, day, next_number),
        )

    def record_lease(self, lease: NumberLease) -> None:
        self.writes += 1
        self._db.execute(
            "INSERT INTO leases (store, day, device, start_number, end_number) VALUES (%s, %s, %s, %s, %s)",
            (self.store, lease.day, lease.device, lease.start, lease.end),
        )

    def _read_code_uses(self, window: int) -> int | None:
        value = self._one(
            "SELECT uses FROM code_uses WHERE store = %s AND code_window = %s", (self.store, window)
        )
        return None if value is None else int(value)

    def use_code(self, window: int) -> int:
        self.writes += 1
        known = self._code_uses.get(window)
        if known is not None:
            self._db.execute(USE_CODE, (self.store, window))  # no answer to wait for
            uses = known + 1
        else:
            uses = int(self._one(USE_CODE + " RETURNING uses", (self.store, window)))
        self._code_uses[window] = uses
        return uses

    def get_idempotent(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self._db.execute(GET_IDEMPOTENT, (scope, key)).fetchone()
        return None if row is None else _record(row)

    def start_batch(
        self, after: int, keys: Sequence[tuple[str, str]]
    ) -> tuple[list[Event], dict[tuple[str, str], IdempotencyRecord]]:
        # Three queries sent before any answer is waited for: one round trip, where asking
        # for each key in turn cost one per step of the batch.
        db = self._db
        events = db.execute(READ_AFTER, (self.store, after, None))
        last_seq = db.execute(LAST_SEQ, (self.store,))
        scopes, names = [scope for scope, _ in keys], [name for _, name in keys]
        found = db.execute(GET_IDEMPOTENT_MANY, (scopes, names)).fetchall() if keys else []
        caught_up = events_from_bodies(row[0] for row in events.fetchall())
        self._last_seq = int(last_seq.fetchone()[0] or 0)  # type: ignore[index]
        return caught_up, {(row[0], row[1]): _record(row[2:]) for row in found}

    def put_idempotent(self, scope: str, key: str, record: IdempotencyRecord) -> None:
        self.writes += 1
        if record.created_at.tzinfo is None:
            raise ValueError("an idempotency record's created_at must carry a timezone")
        self._db.execute(
            "INSERT INTO idempotency (scope, idem_key, request_hash, status, body, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (scope, idem_key) DO UPDATE SET"
            " request_hash = excluded.request_hash, status = excluded.status, body = excluded.body,"
            " created_at = excluded.created_at",
            (scope, key, record.request_hash, record.status, bytes(record.body), record.created_at),
        )

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        try:
            with self._db.transaction():  # nested in the store's transaction: a savepoint
                yield
                if self._pipeline is not None:
                    self._pipeline.sync()  # a failed write of this step fails this step
        except BaseException:
            self._forget()  # the undone step may have appended or counted
            raise


def _record(row: Sequence[Any]) -> IdempotencyRecord:
    request_hash, status, body, created_at = row
    return IdempotencyRecord(
        request_hash=request_hash, status=int(status), body=bytes(body), created_at=created_at.astimezone(UTC)
    )

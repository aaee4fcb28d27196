"""The local replica: a store's events, the cursor, the outbox, number leases, intents.

Every write is one SQLite transaction with `synchronous=FULL`, made before the change is
shown, so what the screen showed survives a crash of the app.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.events import Event
from core.ids import new_id
from core.sync.outbox import OutboxEntry
from core.sync.replica_file import ReplicaError, connect, unlock

__all__ = ["Intent", "Replica", "ReplicaError"]


@dataclass(frozen=True, slots=True)
class Intent:
    """A barista command whose outcome we keep watching, to say so if it loses a conflict."""

    command_id: str
    order_id: str
    kind: str  # "claim" | "complete" | "cancel"
    actor: str


class Replica:
    def __init__(self, path: Path, *, server: str, store: str) -> None:
        self.path = path
        self.store = store
        self._conn, self._lock_fd = connect(path, server=server, store=store)
        self._depth = 0
        try:
            self.device_id = self._meta("device_id") or self._init_device_id()
            self.last_seq = int(self._meta("last_seq") or 0)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._conn.close()
        unlock(self._lock_fd)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One durable write; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            self.last_seq = int(self._meta("last_seq") or 0)
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    # -- meta ---------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _init_device_id(self) -> str:
        device_id = new_id()
        with self.transaction():
            self._set_meta("device_id", device_id)
        return device_id

    def store_info(self) -> dict[str, Any] | None:
        raw = self._meta("store_info")
        return json.loads(raw) if raw else None

    def save_store_info(self, info: dict[str, Any]) -> None:
        with self.transaction():
            self._set_meta("store_info", json.dumps(info))

    # -- events -------------------------------------------------------------------------

    def events(self) -> list[Event]:
        rows = self._conn.execute("SELECT body FROM events ORDER BY seq IS NULL, seq, rowid")
        return [Event.model_validate_json(body) for (body,) in rows]

    def add_events(self, events: Iterable[Event]) -> list[Event]:
        """Store events (from the backend with their seq, or made here without); returns the
        ones this replica did not hold yet. Advances the cursor to the highest seq seen."""
        new: list[Event] = []
        with self.transaction():
            top = self.last_seq
            for event in events:
                body = event.model_dump_json()
                cursor = self._conn.execute(
                    "INSERT INTO events(id, seq, body) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
                    (event.id, event.seq, body),
                )
                if cursor.rowcount:
                    new.append(event)
                elif event.seq is not None:
                    # A local event coming back from the backend: it now has its seq.
                    self._conn.execute(
                        "UPDATE events SET seq = ?, body = ? WHERE id = ? AND seq IS NULL",
                        (event.seq, body, event.id),
                    )
                if event.seq is not None and event.seq > top:
                    top = event.seq
            if top != self.last_seq:
                self._set_meta("last_seq", str(top))
                self.last_seq = top
        return new

    def remove_events(self, event_ids: Sequence[str]) -> None:
        """Forget local events the backend refused (never ones it acknowledged)."""
        with self.transaction():
            self._conn.executemany(
                "DELETE FROM events WHERE id = ? AND seq IS NULL", [(i,) for i in event_ids]
            )

    def event_id_at(self, seq: int) -> str | None:
        row = self._conn.execute("SELECT id FROM events WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    def event_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def unsequenced_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events WHERE seq IS NULL").fetchone()[0])

    # -- outbox -------------------------------------------------------------------------

    def outbox(self) -> list[OutboxEntry]:
        rows = self._conn.execute("SELECT body FROM outbox ORDER BY pos")
        return [OutboxEntry.from_json(body) for (body,) in rows]

    def outbox_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def add_outbox(self, entry: OutboxEntry) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO outbox(command_id, body) VALUES (?, ?)", (entry.command_id, entry.to_json())
            )

    def remove_outbox(self, command_id: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM outbox WHERE command_id = ?", (command_id,))

    # -- number leases ------------------------------------------------------------------

    def add_lease(self, day: date, start: int, end: int) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM leases WHERE day < ?", (day.isoformat(),))
            self._conn.execute(
                "INSERT OR IGNORE INTO leases(day, start, end, next) VALUES (?, ?, ?, ?)",
                (day.isoformat(), start, end, start),
            )

    def free_numbers(self, day: date) -> int:
        row = self._conn.execute(
            "SELECT coalesce(sum(end - next + 1), 0) FROM leases WHERE day = ? AND next <= end",
            (day.isoformat(),),
        ).fetchone()
        return int(row[0])

    def take_number(self, day: date) -> int | None:
        """The next free leased number of `day` (used up durably), or None if none is left."""
        with self.transaction():
            row = self._conn.execute(
                "SELECT start, next FROM leases WHERE day = ? AND next <= end ORDER BY start LIMIT 1",
                (day.isoformat(),),
            ).fetchone()
            if row is None:
                return None
            start, number = row
            self._conn.execute(
                "UPDATE leases SET next = next + 1 WHERE day = ? AND start = ?", (day.isoformat(), start)
            )
        return int(number)

    # -- intents ------------------------------------------------------------------------

    def intents(self) -> list[Intent]:
        rows = self._conn.execute("SELECT command_id, order_id, kind, actor FROM intents ORDER BY rowid")
        return [Intent(*row) for row in rows]

    def add_intent(self, intent: Intent) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR IGNORE INTO intents(command_id, order_id, kind, actor) VALUES (?, ?, ?, ?)",
                (intent.command_id, intent.order_id, intent.kind, intent.actor),
            )

    def remove_intents(self, command_ids: Sequence[str]) -> None:
        with self.transaction():
            self._conn.executemany("DELETE FROM intents WHERE command_id = ?", [(i,) for i in command_ids])


def open_replica(path: Path, *, server: str, store: str) -> Replica:
    """Open a replica; `ReplicaError` if it is damaged or too new (see `move_aside`)."""
    try:
        return Replica(path, server=server, store=store)
    except sqlite3.DatabaseError as error:
        raise ReplicaError(path, f"is damaged ({error})") from error

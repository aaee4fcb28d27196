"""The SQLite event store's schema, its version, and the checks made when a file is opened."""

from __future__ import annotations

import sqlite3
import time

from core.eventstore.base import StoreError, StoreUnreadableError, StoreVersionError

SCHEMA_VERSION = 1
# Marks the file as ours (PRAGMA application_id), so another program's database is refused.
APPLICATION_ID = 0x45535052  # "ESPR"

SCHEMA = """
CREATE TABLE events (
    pos INTEGER PRIMARY KEY,
    store TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    order_id TEXT,
    type TEXT NOT NULL,
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (store, seq)
);
CREATE INDEX events_by_order ON events (order_id, seq);
CREATE TABLE numbers (
    store TEXT NOT NULL,
    day TEXT NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (store, day)
) WITHOUT ROWID;
CREATE TABLE leases (
    store TEXT NOT NULL,
    day TEXT NOT NULL,
    device TEXT NOT NULL,
    start_number INTEGER NOT NULL,
    end_number INTEGER NOT NULL
);
CREATE INDEX leases_by_device ON leases (store, device, day);
CREATE TABLE code_uses (
    store TEXT NOT NULL,
    code_window INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (store, code_window)
) WITHOUT ROWID;
CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (scope, idem_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency (created_us);
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
"""

# Migrations from version n to n + 1, run in order inside the opening transaction.
MIGRATIONS: dict[int, str] = {}


def prepare(conn: sqlite3.Connection, path: str, busy_timeout_s: float) -> None:
    """Check the file is ours and not newer than this code; create or migrate the schema."""
    try:
        _use_wal(conn, path, busy_timeout_s)
        conn.execute("BEGIN IMMEDIATE")
        try:
            _check_and_create(conn, path)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise opening_error(path, error) from error


def _use_wal(conn: sqlite3.Connection, path: str, busy_timeout_s: float) -> None:
    """Switch the file to write-ahead logging (once; it sticks to the file).

    SQLite answers "locked" at once, without waiting, when another process holds the file
    during the switch, so a new file opened by several processes at once retries here.
    """
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    if mode != "wal":
        raise StoreError(f"{path}: SQLite cannot use write-ahead logging here (mode {mode!r})")


def opening_error(path: str, error: sqlite3.Error) -> StoreError:
    """A clear error for a file SQLite cannot open or read."""
    if getattr(error, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return StoreUnreadableError(f"{path} is not a readable event store database: {error}")
    return StoreError(f"cannot open the event store {path}: {error}")


def _check_and_create(conn: sqlite3.Connection, path: str) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreUnreadableError(f"{path} is another program's SQLite database, not an event store")
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"{path} has event store schema version {version}, newer than this software's "
            f"{SCHEMA_VERSION}: upgrade the software (the database is never migrated down)"
        )
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise StoreUnreadableError(f"{path} holds tables of another program, not an event store")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        version = SCHEMA_VERSION
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    while version < SCHEMA_VERSION:
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
        version += 1
    conn.execute(f"PRAGMA user_version = {version}")

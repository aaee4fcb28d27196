"""The PostgreSQL event store's schema, its version, and the store locks' keys."""

from __future__ import annotations

import hashlib
from typing import Any

import psycopg

from core.eventstore.base import StoreVersionError

SCHEMA_VERSION = 1
CHANNEL = "espresso_events"

SCHEMA = """
CREATE TABLE events (
    store text NOT NULL,
    seq bigint NOT NULL,
    id text NOT NULL UNIQUE,
    order_id text,
    type text NOT NULL,
    time timestamptz NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (store, seq)
);
CREATE INDEX events_by_order ON events (order_id, seq);
CREATE TABLE numbers (
    store text NOT NULL,
    day date NOT NULL,
    next integer NOT NULL,
    PRIMARY KEY (store, day)
);
CREATE TABLE leases (
    store text NOT NULL,
    day date NOT NULL,
    device text NOT NULL,
    start_number integer NOT NULL,
    end_number integer NOT NULL
);
CREATE INDEX leases_by_device ON leases (store, device, day);
CREATE TABLE code_uses (
    store text NOT NULL,
    code_window bigint NOT NULL,
    uses integer NOT NULL,
    PRIMARY KEY (store, code_window)
);
CREATE TABLE idempotency (
    scope text NOT NULL,
    idem_key text NOT NULL,
    request_hash text NOT NULL,
    status integer NOT NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_by_age ON idempotency (created_at);
CREATE TABLE secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL
)
"""

# Migrations from version n to n + 1, run in order inside the opening transaction.
MIGRATIONS: dict[int, str] = {}


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a store id (the same in every process)."""
    digest = hashlib.blake2b(f"espresso-store:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


SCHEMA_LOCK = lock_key("\x00schema")  # no store id holds a NUL


def prepare(conn: psycopg.Connection[Any]) -> None:
    """Create or migrate the schema, refusing a database written by a newer version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS espresso_schema (version integer NOT NULL)")
        row = conn.execute("SELECT max(version) FROM espresso_schema").fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"the PostgreSQL database has event store schema version {version}, newer than "
                f"this software's {SCHEMA_VERSION}: upgrade the software (it is never migrated down)"
            )
        if version == SCHEMA_VERSION:
            return
        steps = [SCHEMA] if version == 0 else [MIGRATIONS[v] for v in range(version, SCHEMA_VERSION)]
        for step in steps:
            for statement in step.split(";"):
                if statement.strip():
                    conn.execute(statement.encode())
        conn.execute("DELETE FROM espresso_schema")
        conn.execute("INSERT INTO espresso_schema (version) VALUES (%s)", (SCHEMA_VERSION,))

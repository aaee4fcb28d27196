"""Opening a replica file safely: one app at a time, WAL, full sync, known schema.

A damaged file or one written by a newer version is refused with a `ReplicaError` that
says what to do; `move_aside` puts such a file out of the way so the app can start fresh
(everything the backend has comes back on the next catch-up; only an undelivered outbox is
lost, which the message says).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (id TEXT PRIMARY KEY, seq INTEGER UNIQUE, body TEXT NOT NULL);
CREATE TABLE outbox (
    pos INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE leases (
    day TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, next INTEGER NOT NULL,
    PRIMARY KEY (day, start)
);
CREATE TABLE intents (
    command_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL
);
"""


class ReplicaError(Exception):
    """A replica file this version cannot use. `str()` says why and what to do."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"The local replica {path} {problem}. Move it aside (mv {path} {path}.broken) and "
            "start again: the orders come back from the server; commands not yet delivered "
            "from this device would be lost."
        )


class ReplicaInUse(Exception):
    """Another app on this machine has the replica open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is in use by another app on this machine (close it, or use another name)")


def move_aside(path: Path) -> Path:
    """Rename a replica (and its WAL files) out of the way; returns the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


def _lock(path: Path) -> int:
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ReplicaInUse(path) from None
    return fd


def unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def connect(path: Path, *, server: str, store: str) -> tuple[sqlite3.Connection, int]:
    """Open (or create) the replica at `path`; returns the connection and the lock's fd."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _lock(path)
    try:
        conn = _open_checked(path)
        _check_identity(conn, path, server, store)
    except BaseException:
        unlock(fd)
        raise
    return conn, fd


def _open_checked(path: Path) -> sqlite3.Connection:
    existed = path.exists() and path.stat().st_size > 0
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if existed and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ReplicaError(path, "is damaged")
        # Checked before anything is written (WAL mode changes the file): a file this version
        # refuses is left exactly as it was.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if version > SCHEMA_VERSION:
            newer = f"schema {version}; this one knows {SCHEMA_VERSION}"
            raise ReplicaError(path, f"was written by a newer version ({newer})")
        if version == 0 and tables:
            raise ReplicaError(path, "is not an espresso replica")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=5000")
        if version == 0:
            conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nPRAGMA user_version={SCHEMA_VERSION};\nCOMMIT;")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise ReplicaError(path, f"is damaged ({error})") from error
    except BaseException:
        conn.close()
        raise
    return conn


def _check_identity(conn: sqlite3.Connection, path: Path, server: str, store: str) -> None:
    rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('server', 'store')").fetchall())
    if not rows:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)",
            [("server", server), ("store", store), ("created_at", datetime.now(UTC).isoformat())],
        )
        conn.execute("COMMIT")
        return
    if rows.get("store") != store:
        conn.close()
        raise ReplicaError(path, f"belongs to store {rows.get('store')!r}, not {store!r}")

"""The servers a benchmark runs against: real `espresso serve` processes (through the
tests' own launcher), a scratch PostgreSQL database, and the do-nothing server."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.server import BackendServer, start_server

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("ESPRESSO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")

# A rush: no code, queue or rate limit gets in the way of the load.
RUSH_STORE: dict[str, Any] = {
    "drinks_per_code": 10**9,
    "max_queue": 10**9,
    "customer_timeout_s": 3600,
    "barista_timeout_s": 3600,
}
RUSH_SERVER: dict[str, Any] = {"order_starts_per_minute": 10**9}


def check_alive(server: BackendServer, what: str = "the server") -> None:
    """Say so (with how it ended and its last words) if the server died during a run."""
    assert server.process is not None
    code = server.process.poll()
    if code is not None:
        tail = "\n".join(server.log().splitlines()[-20:])
        print(f"  WARNING: {what} (pid {server.process.pid}) died during the run, exit code {code}:\n{tail}")


def store_ids(count: int) -> list[str]:
    return ["booth"] if count == 1 else [f"stall{i}" for i in range(count)]


@contextlib.contextmanager
def espresso(
    directory: Path, database: str | None = None, stores: int = 1, name: str = "server"
) -> Iterator[BackendServer]:
    """A real `espresso serve` for a rush, on SQLite in `directory` unless `database`."""
    with start_server(
        directory,
        database=database,
        name=name,
        server=RUSH_SERVER,
        stores={sid: RUSH_STORE for sid in store_ids(stores)},
    ) as server:
        yield server


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"espresso_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def null_server() -> Iterator[int]:
    """The do-nothing server in its own process; yields its port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.harness.null_server"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("port "):
            raise RuntimeError(f"the null server did not start: {line!r}")
        yield int(line.split()[1])
    finally:
        process.kill()
        process.wait(timeout=10)

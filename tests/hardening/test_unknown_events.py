"""Events this version does not know.

- From a newer backend (a future event type in a page of events and in the live stream): the
  terminal says so once, keeps following, and shows every event it does know, before and
  after the unknown one.
- Pushed to the backend (`POST …/events`): refused as a whole with a message naming the
  type, nothing stored.
- In the backend's own log (a newer backend shares the database): it will not start on a log
  it cannot read, says why, and leaves the log as it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from barista_tui.board import Lane
from core.sync.unknown_events import UnknownEvents
from tests.barista.support.backend import barista_app
from tests.barista.support.pilot import lane_numbers, told, wait_for
from tests.hardening.newer_backend import FUTURE_TYPE, NewerBackend
from tests.support.api import place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import REPO_ROOT, BackendServer


async def test_a_future_event_type_is_told_and_skipped_and_nothing_else_is_lost(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    place_order(backend_server, "Before", "americano")
    async with NewerBackend(backend_server.url) as newer:
        app = barista_app(backend_server, "Ana", tmp_path, url=newer.url)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1], what="the first order")
            # Live: the stream carries the unknown event right after the next real one.
            place_order(backend_server, "During", "americano")
            place_order(backend_server, "After", "americano")
            await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2, 3], what="all three")
            await wait_for(pilot, lambda: any(FUTURE_TYPE in text for text in told(app)), what="told")
            notices = [text for text in told(app) if FUTURE_TYPE in text]
            assert len(notices) == 1 and "update" in notices[0].lower(), notices
            assert newer.stream_connections == 1  # it kept following: no reconnecting in a loop
            assert app.is_running


def test_a_pushed_event_of_an_unknown_type_is_refused_and_named(backend_server: BackendServer) -> None:
    url = f"{backend_server.url}/api/v1/stores/booth/events"
    before = httpx.get(url, headers=backend_server.headers("display")).json()["last_seq"]
    walkup = str(uuid.uuid4())
    event = {
        "id": str(uuid.uuid4()),
        "store": "booth",
        "time": datetime.now(UTC).isoformat(),
        "order_id": walkup,
        "actor": "Ann",
        "origin": "till",
    }
    started = {**event, "type": "OrderStarted", "data": {"customer_name": "Walk", "walkup": True}}
    future = {**event, "id": str(uuid.uuid4()), "type": FUTURE_TYPE, "data": {"amount": "3.50"}}
    refused = httpx.post(url, json={"events": [started, future]}, headers=backend_server.headers())
    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
    assert "type" in refused.json()["detail"]
    after = httpx.get(url, headers=backend_server.headers("display")).json()["last_seq"]
    assert after == before  # the known event of the same push was not stored either


def test_only_an_unknown_kind_is_left_out_a_broken_known_one_is_an_error() -> None:
    told: list[str] = []
    unknown = UnknownEvents()
    unknown.on_new_kind = told.append
    base = {
        "id": "e1",
        "seq": 1,
        "store": "booth",
        "time": "2030-01-01T00:00:00Z",
        "actor": "x",
        "origin": "y",
    }
    assert unknown.parse({**base, "type": "OrderRefunded", "order_id": "o"}) is None
    assert unknown.parse(json.dumps({**base, "type": "OrderRefunded"})) is None
    assert told == ["OrderRefunded"]  # once per kind
    known = unknown.parse({**base, "type": "StoreOpened"})
    assert known is not None and known.type == "StoreOpened"
    with pytest.raises(ValidationError):
        unknown.parse({**base, "type": "StoreOpened", "time": "not a time"})
    with pytest.raises(ValidationError):
        unknown.parse("{not json")


SERVE = [sys.executable, "-m", "espresso", "serve"]


def _rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT store, seq, id, type, body FROM events ORDER BY pos").fetchall()
    db.close()
    return rows


def test_a_log_holding_a_newer_kind_of_event_stops_the_backend_plainly(server_factory: ServerFactory) -> None:
    """Another (newer) backend on the same database wrote an event this one cannot read."""
    server = server_factory()
    place_order(server, "Ada")
    assert server.stop() == 0
    path = Path(server.database.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as db:
        store, seq, order_id, time, body = db.execute(
            "SELECT store, seq, order_id, time, body FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        future = {**json.loads(body), "id": "future-1", "seq": seq + 1, "type": FUTURE_TYPE, "data": {}}
        db.execute(
            "INSERT INTO events (store, seq, id, order_id, type, time, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (store, seq + 1, "future-1", order_id, FUTURE_TYPE, time, json.dumps(future)),
        )
    db.close()
    before = _rows(path)
    result = subprocess.run(
        [*SERVE, "--config", str(server.config_path), "--port", "0", "--database", server.database],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")},
    )
    assert result.returncode == 2, result
    assert "newer version" in result.stderr and f"of type '{FUTURE_TYPE}'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert _rows(path) == before  # the log is left as it is, the newer event included

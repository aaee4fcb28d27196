"""A replica file that is damaged, or was written by a newer version, met by `espresso kiosk`
and `espresso barista` in a terminal: each says so plainly and stops (no traceback), the file
is kept as it was, and once it is moved aside as the message says, the app starts again with
everything the backend has."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from core.sync.paths import replica_path
from tests.support.api import place_order
from tests.support.server import REPO_ROOT, BackendServer
from tests.support.terminal import Terminal


def damaged(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * 2000)


def newer(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT)")
        db.execute("PRAGMA user_version = 99")
    db.close()


CASES: dict[str, tuple[str, str, Callable[[Path], None], str, str]] = {
    # app: (command, device name, how the file is broken, what is said, what shows once recovered)
    "kiosk": ("kiosk", "kiosk", damaged, "is damaged", r"1 order\s+waiting"),
    "barista": ("barista", "barista-Ana", newer, "newer version", r"Kept"),
}


def _terminal(server: BackendServer, data_dir: Path, command: str) -> Terminal:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
    env["ESPRESSO_DATA_DIR"] = str(data_dir)
    env["COLUMNS"], env["LINES"] = "400", "40"  # (pytest-xdist workers may carry 80)
    argv = [sys.executable, "-m", "espresso", command, "--config", str(server.config_path)]
    argv += ["--server", server.url, *(["--name", "Ana"] if command == "barista" else [])]
    # Wide enough that the message's file name is never wrapped.
    return Terminal(argv, cwd=REPO_ROOT, env=env, columns=400, rows=40)


@pytest.mark.parametrize("app", list(CASES))
def test_a_broken_replica_is_named_kept_and_recovered_from(
    backend_server: BackendServer, tmp_path: Path, app: str
) -> None:
    command, device, breaker, said, recovered = CASES[app]
    place_order(backend_server, "Kept")
    replica = replica_path(backend_server.url, "booth", device, tmp_path)
    replica.parent.mkdir(parents=True)
    breaker(replica)
    before = replica.read_bytes()

    terminal = _terminal(backend_server, tmp_path, command)
    try:
        assert terminal.wait_exit(timeout=60) != 0
    finally:
        terminal.close()
    said_on_screen = terminal.output.replace("\r\n", "")  # as one line, however it was wrapped
    assert said in said_on_screen and str(replica) in said_on_screen, terminal.output
    assert "Traceback" not in said_on_screen
    assert replica.read_bytes() == before  # kept as it was

    moved = re.search(r"\(mv\s+(\S+)\s+(\S+)\)", said_on_screen)
    assert moved is not None and moved.group(1) == str(replica), terminal.output
    replica.rename(moved.group(2))  # what the message says to do
    terminal = _terminal(backend_server, tmp_path, command)
    try:
        terminal.wait_for(recovered, timeout=60)  # the order the backend has is back
        terminal.type(b"\x11")  # Ctrl+Q
        assert terminal.wait_exit(timeout=20) == 0
    finally:
        terminal.close()

"""`espresso demo` in a terminal: it says how to join, the booth screen comes up, orders are
served, and Ctrl+C (or SIGTERM) stops it all with nothing left behind."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.config import load_settings
from tests.support.terminal import Terminal

REPO_ROOT = Path(__file__).resolve().parents[2]
BARISTA_LINE = r"espresso barista --server (http://127\.0\.0\.1:\d+) --config (\S+config\.toml)"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
    env["ESPRESSO_DATA_DIR"] = str(tmp_path)
    session = Terminal([sys.executable, "-m", "espresso", "demo"], cwd=REPO_ROOT, env=env)
    try:
        yield session
    finally:
        session.close()


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def served_today(server: str, config: Path) -> int:
    settings = load_settings(config, environ={})
    headers = {"Authorization": f"Bearer {settings.auth.display_token}"}
    response = httpx.get(f"{server}/api/v1/stores/{settings.client.store}/stats", headers=headers, timeout=5)
    return int(response.json()["served_today"]) if response.status_code == 200 else 0


@pytest.mark.parametrize("how", ["ctrl+c", "sigterm"])
def test_the_demo_serves_then_stops_cleanly(terminal: Terminal, how: str) -> None:
    server, config_text = terminal.wait_for(BARISTA_LINE, timeout=60).groups()
    config = Path(config_text)
    phone = terminal.wait_for(r"phone page\s+(\S+)").group(1)
    assert phone.startswith(f"{server}/order/booth?code=")
    assert httpx.get(f"{server}/healthz", timeout=5).status_code == 200

    terminal.wait_for("Making now")  # the booth screen is up
    deadline = time.monotonic() + 60
    while served_today(server, config) < 1:
        assert time.monotonic() < deadline, "no order was served"
        time.sleep(0.2)
    assert processes_mentioning(str(config.parent))  # the backend runs from the demo's directory

    if how == "ctrl+c":
        terminal.type(b"\x03")
    else:
        terminal.process.send_signal(signal.SIGTERM)
    assert terminal.wait_exit(timeout=30) == 0

    tail = terminal.output[terminal.output.rfind("Espresso demo:") :]
    assert "espresso barista --server" in tail and "The demo has stopped" in tail
    assert not config.parent.exists()
    assert processes_mentioning(str(config.parent)) == []
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server}/healthz", timeout=2)

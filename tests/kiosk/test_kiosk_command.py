"""`espresso kiosk` and `python -m kiosk` in a terminal, on a real backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import BackendServer
from tests.support.terminal import Terminal

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("command", "quit_key"),
    [(["-m", "espresso", "kiosk"], b"\x03"), (["-m", "kiosk"], b"\x11")],
    ids=["espresso kiosk, Ctrl+C", "python -m kiosk, Ctrl+Q"],
)
def test_the_kiosk_command_shows_the_booth_and_quits(
    backend_server: BackendServer, tmp_path: Path, command: list[str], quit_key: bytes
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
    env["ESPRESSO_DATA_DIR"] = str(tmp_path)  # the kiosk's replica goes here
    argv = [
        sys.executable,
        *command,
        "--config",
        str(backend_server.config_path),
        "--server",
        backend_server.url,
    ]
    terminal = Terminal(argv, cwd=REPO_ROOT, env=env)
    try:
        terminal.wait_for("10 drinks left on this code", timeout=60)
        terminal.wait_for("Test Espresso")
        terminal.type(quit_key)
        assert terminal.wait_exit(timeout=20) == 0
    finally:
        terminal.close()
    assert list(tmp_path.rglob("kiosk.sqlite3")), "the kiosk kept its replica under ESPRESSO_DATA_DIR"


def test_the_kiosk_loads_no_web_server() -> None:
    probe = (
        "import sys, kiosk.app, kiosk.__main__\n"
        "print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'backend', 'fastapi', 'uvicorn', 'starlette'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == ""

"""The demo's backend: `espresso serve` on a temporary SQLite file and a free port, its store
open, with fresh tokens, in a child process that cannot outlive the demo."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from core.config import Settings, load_settings
from espresso.toml_text import to_toml

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
DEMO_ROTATION_S = 60
DEMO_DRINKS_PER_CODE = 15
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where `espresso` and `core` live


class DemoError(RuntimeError):
    """The demo cannot run; the message says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def demo_config(settings: Settings, directory: Path, port: int) -> dict[str, Any]:
    """The user's store (menu, limits) on this machine: open, on a temporary database."""
    store_id = (
        settings.client.store if settings.store(settings.client.store) else next(iter(settings.stores), None)
    )
    if store_id is None:
        raise DemoError(f"{settings.source} has no [stores.<id>] table to run the demo with")
    store = settings.stores[store_id].model_dump(mode="json")
    url = f"http://127.0.0.1:{port}"
    return {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "database": f"sqlite:///{(directory / 'espresso.db').resolve()}",
            "public_url": url,
            "order_starts_per_minute": 600,  # every simulated customer comes from 127.0.0.1
        },
        "auth": {
            role: secrets.token_urlsafe(16) for role in ("admin_token", "barista_token", "display_token")
        },
        "stores": {store_id: {**store, **demo_pace(store)}},
        "client": {"server": url, "store": store_id},
    }


def demo_pace(store: dict[str, Any]) -> dict[str, Any]:
    """Open, and codes that change every minute (the countdown visibly moves) with enough
    drinks each for the simulated customers, so the code is rarely used up."""
    return {
        "open": True,
        "code_rotation_s": min(int(store["code_rotation_s"]), DEMO_ROTATION_S),
        "drinks_per_code": max(int(store["drinks_per_code"]), DEMO_DRINKS_PER_CODE),
    }


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the backend gets SIGTERM if the demo dies without cleaning up (SIGKILL)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class DemoBackend:
    def __init__(self, settings: Settings, directory: Path) -> None:
        self.directory = directory
        self.config_path = directory / "config.toml"
        self.log_path = directory / "backend.log"
        self.port = free_port()
        self.config_path.write_text(to_toml(demo_config(settings, directory, self.port)), encoding="utf-8")
        self.settings = load_settings(self.config_path, environ={})
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> str:
        return self.settings.client.store

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "espresso", "serve", "--config", str(self.config_path)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.directory,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl+C in the terminal is ours to handle, not its
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DemoError(f"the backend exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.05)
        raise DemoError(f"the backend did not start within {READY_TIMEOUT_S:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM and wait; SIGKILL if it does not stop in time. Safe to call twice."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def phone_url(self) -> str:
        """The phone page with the current code (it changes every few minutes)."""
        headers = {"Authorization": f"Bearer {self.settings.auth.display_token}"}
        with contextlib.suppress(httpx.HTTPError, KeyError, ValueError):
            response = httpx.get(f"{self.url}/api/v1/stores/{self.store}/code", headers=headers, timeout=3)
            if response.status_code == 200:
                return str(response.json()["url"])
        return f"{self.url}/order/{self.store}"

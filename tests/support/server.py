"""A real `espresso serve` process for tests.

    with start_server(tmp_path, store={"customer_timeout_s": 1}) as server:
        httpx.get(server.url + "/healthz")
        server.restart()     # SIGKILL, then the same port and database again
        server.kill()        # SIGKILL (a crash)

The process runs the code under test (`sys.executable -m espresso serve`, cwd = the
repository root), on a port the OS picked, and is always killed when the block ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support.config import TOKENS, write_config

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0
_LISTENING = re.compile(r"serving on http://[^:]+:(\d+)")


class ServerError(RuntimeError):
    pass


class BackendServer:
    def __init__(
        self,
        config_path: Path,
        database: str,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        port: int = 0,
    ) -> None:
        self.config_path = config_path
        self.database = database
        self.log_path = log_path
        self.port = port
        self.tokens = dict(TOKENS)
        self._extra_env = dict(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    # -- what tests use -------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_token(self) -> str:
        return self.tokens["admin"]

    @property
    def barista_token(self) -> str:
        return self.tokens["barista"]

    @property
    def display_token(self) -> str:
        return self.tokens["display"]

    def headers(self, role: str = "barista", **extra: str) -> dict[str, str]:
        """`Authorization` for a staff role, plus any extra headers."""
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}

    def client(self, role: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = self.headers(role) if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10.0, **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    # -- life cycle -----------------------------------------------------------------

    def start(self) -> BackendServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
        env.update(
            {
                "ESPRESSO_ADMIN_TOKEN": self.tokens["admin"],
                "ESPRESSO_BARISTA_TOKEN": self.tokens["barista"],
                "ESPRESSO_DISPLAY_TOKEN": self.tokens["display"],
                "PYTHONUNBUFFERED": "1",
                **self._extra_env,
            }
        )
        command = [sys.executable, "-m", "espresso", "serve", "--config", str(self.config_path)]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--database", self.database]
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"espresso serve exited with {self.process.returncode}:\n{self.log()}")
            if self.port == 0:
                found = _LISTENING.findall(self.log())
                if found:
                    self.port = int(found[-1])
            if self.port:
                try:
                    if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.02)
        self.kill()
        raise ServerError(f"espresso serve was not ready within {READY_TIMEOUT_S} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: what a crash or a power cut looks like to the database."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait: a clean stop. Returns the exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise ServerError(f"espresso serve did not stop on SIGTERM:\n{self.log()}") from None
        return self.process.returncode

    def restart(self) -> BackendServer:
        """Kill the process (if running) and start it again on the same port and database."""
        self.kill()
        return self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def sqlite_url(directory: Path, name: str = "events.db") -> str:
    return f"sqlite:///{(directory / name).resolve()}"


@contextmanager
def start_server(
    directory: Path,
    database: str | None = None,
    env: Mapping[str, str] | None = None,
    name: str = "server",
    **config: Any,
) -> Iterator[BackendServer]:
    """Write a config (see `tests.support.config.config_text` for `config`), start a server
    on a free port and yield it; it is killed when the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    config_path = write_config(directory / f"{name}.toml", **config)
    server = BackendServer(
        config_path,
        database or sqlite_url(directory),
        directory / f"{name}.log",
        env=env,
    )
    try:
        yield server.start()
    finally:
        server.kill()

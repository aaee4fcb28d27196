"""A program in a pseudo-terminal, as a person at a real terminal would run it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def _take_terminal() -> None:  # pragma: no cover - runs in the child before exec
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # Ctrl+C at this terminal signals this program


class Terminal:
    def __init__(
        self, argv: Sequence[str], cwd: Path, env: Mapping[str, str], columns: int = 100, rows: int = 30
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env={**env, "TERM": "xterm-256color"},
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self.output = ""

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):  # EIO: the program has closed the terminal
                self.output += os.read(self.master, 65536).decode("utf-8", "replace")

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (found := re.search(pattern, self.output)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{pattern!r} did not appear; the terminal shows:\n{self.output[-3000:]}"
                )
            if self.process.poll() is not None:
                self._read(0)
                if (found := re.search(pattern, self.output)) is not None:
                    return found
                raise AssertionError(
                    f"exited with {self.process.returncode} before {pattern!r}:\n{self.output}"
                )
            self._read(0.1)
        return found

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_exit(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s:\n{self.output[-3000:]}")
            self._read(0.1)
        self._read(0)
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)

"""A small pool of database connections shared by threads (one user per connection at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Conn = TypeVar("Conn")


class ConnectionPool(Generic[Conn]):
    """Hands out idle connections, opens new ones on demand, keeps at most `max_idle`.

    A connection the user leaves unusable (`healthy` says no) is closed, not reused.
    """

    def __init__(
        self,
        connect: Callable[[], Conn],
        close: Callable[[Conn], None],
        healthy: Callable[[Conn], bool],
        max_idle: int = 4,
    ) -> None:
        self._connect = connect
        self._close = close
        self._healthy = healthy
        self._max_idle = max_idle
        self._idle: list[Conn] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the event store is closed")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        try:
            yield conn
        finally:
            self._give_back(conn)

    def _give_back(self, conn: Conn) -> None:
        keep = False
        if self._healthy(conn):
            with self._lock:
                if not self._closed and len(self._idle) < self._max_idle:
                    self._idle.append(conn)
                    keep = True
        if not keep:
            self._close(conn)

    def close(self) -> None:
        """Close the idle connections; ones in use are closed when given back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            self._close(conn)

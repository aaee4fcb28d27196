"""The open connections of a test's own asyncio server, so it can drop them all and stop.

connections = OpenConnections()
async def handle(reader, writer):
    with connections.held(writer):   # this handler, and the writer to abort on a cut
        ...
connections.abort()                  # every connection dropped at once
await connections.handlers_done()    # then wait for the handlers to end
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager


class OpenConnections:
    def __init__(self) -> None:
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @contextmanager
    def held(self, writer: asyncio.StreamWriter) -> Iterator[None]:
        """Around a connection handler (and around another writer it opens, the proxy's
        upstream one): the writer is aborted by `abort`, the handler awaited by
        `handlers_done`."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        self._writers.add(writer)
        try:
            yield
        finally:
            self._writers.discard(writer)

    def abort(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def handlers_done(self, timeout_s: float = 5.0) -> None:
        """The handlers end on their own once their connections are gone; one still running
        after `timeout_s` is cancelled (cancelling first makes asyncio log a spurious error
        on Python 3.11)."""
        if self._handlers:
            _, stuck = await asyncio.wait(set(self._handlers), timeout=timeout_s)
            for task in stuck:
                task.cancel()

"""A tiny HTTP server on a real port whose answers a test writes byte by byte, to make the
misbehaviour a real backend will not show on demand (chunks cut anywhere, an answer cut
short, no answer at all).

    async def answer(conn: ScriptedConnection) -> None:
        await conn.request()                     # the next request, whole
        await conn.write(b"HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\n\\r\\n{}")

    async with ScriptedServer(answer) as server:  # server.url, server.requests, server.connections
        ...

It runs on the test's event loop (asyncio streams), one handler per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from types import TracebackType

from tests.support.connections import OpenConnections


class ScriptedConnection:
    def __init__(
        self, server: ScriptedServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer

    async def request(self) -> bytes:
        """The next request (head and body); b"" if the client closed the connection."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return b""
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        raw = head + await self.reader.readexactly(length)
        self.server.requests.append(raw)
        return raw

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def closed_by_client(self) -> None:
        """Returns when the client has closed its end."""
        while await self.reader.read(65536):
            pass


Handler = Callable[[ScriptedConnection], Awaitable[None]]


def answer(status: str, body: bytes = b"", headers: str = "") -> bytes:
    """A whole response with a content-length."""
    return f"HTTP/1.1 {status}\r\n{headers}content-length: {len(body)}\r\n\r\n".encode() + body


class ScriptedServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.connections = 0  # made so far
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open = OpenConnections()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        self._open.abort()
        await self._open.handlers_done()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        connection = ScriptedConnection(self, reader, writer)
        try:
            with self._open.held(writer):
                await self.handler(connection)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away: some tests make it
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

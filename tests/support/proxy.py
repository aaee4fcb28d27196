"""A TCP proxy to put between clients and a real backend, and break the link on demand.

    proxy = TcpProxy(upstream_port=server.port)
    await proxy.start()          # clients use proxy.url
    await proxy.cut()            # every connection dropped, new ones refused (link down)
    await proxy.heal()           # accepting again, same port
    proxy.freeze() / thaw()      # silent partition: connections stay up, no byte passes

It runs on the test's event loop (asyncio streams); the backend is a separate process.
"""

from __future__ import annotations

import asyncio
import contextlib

from tests.support.connections import OpenConnections

Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1", host: str = "127.0.0.1") -> None:
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        self.host = host
        self.port = 0
        self.cuts = 0
        self._server: asyncio.Server | None = None
        self._connections = OpenConnections()
        self._flowing = asyncio.Event()
        self._flowing.set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def is_cut(self) -> bool:
        return self._server is None

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def cut(self) -> None:
        """Drop every connection at once and refuse new ones."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self.cuts += 1
        self._connections.abort()

    async def heal(self) -> None:
        if self._server is None:
            await self.start()

    def freeze(self) -> None:
        """Stop every byte (connections stay open): a link that silently stopped working."""
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    async def close(self) -> None:
        """Cut, then let every connection handler finish."""
        await self.cut()
        self.thaw()
        await self._connections.handlers_done()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            with self._connections.held(writer):
                await self._flowing.wait()
                try:
                    upstream = await asyncio.open_connection(self.upstream_host, self.upstream_port)
                except OSError:
                    return  # backend down: the client sees its connection closed
                await self._relay((reader, writer), upstream)
        finally:
            writer.close()

    async def _relay(self, client: Stream, upstream: Stream) -> None:
        """Bytes both ways until either side stops."""
        up_reader, up_writer = upstream
        try:
            with self._connections.held(up_writer):
                pumps = {
                    asyncio.create_task(self._pump(client[0], up_writer)),
                    asyncio.create_task(self._pump(up_reader, client[1])),
                }
                _, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
        finally:
            up_writer.close()  # graceful: what was written still goes out

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                await self._flowing.wait()
                sink.write(data)
                await sink.drain()

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


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1", host: str = "127.0.0.1") -> None:
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        self.host = host
        self.port = 0
        self.cuts = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
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
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def heal(self) -> None:
        if self._server is None:
            await self.start()

    def freeze(self) -> None:
        """Stop every byte (connections stay open): a link that silently stopped working."""
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    async def close(self) -> None:
        """Cut, then let every connection handler finish (cancelling one makes asyncio log
        a spurious error on Python 3.11)."""
        await self.cut()
        self.thaw()
        if self._handlers:
            _, stuck = await asyncio.wait(set(self._handlers), timeout=5)
            for task in stuck:
                task.cancel()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        self._writers.add(writer)
        try:
            await self._flowing.wait()
            try:
                up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
            except OSError:
                return  # backend down: the client sees its connection closed
            self._writers.add(up_writer)
            try:
                pumps = {
                    asyncio.create_task(self._pump(reader, up_writer)),
                    asyncio.create_task(self._pump(up_reader, writer)),
                }
                _, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
            finally:
                self._writers.discard(up_writer)
                up_writer.close()  # graceful: what was written still goes out
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                await self._flowing.wait()
                sink.write(data)
                await sink.drain()

"""A Server-Sent Events reader on raw sockets (the response is chunked, as uvicorn sends
an endless body). Each message is handed over as (event type, data bytes); comments are
skipped. The data stays bytes: callers pick out only what they need."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from benchmarks.harness.rawhttp import HttpError, read_chunk, read_head, request_bytes

OnMessage = Callable[[bytes, bytes], None]  # (event type, data)


class SseStream:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._buffer = b""

    @classmethod
    async def open(cls, host: str, port: int, path: str, token: str | None = None) -> SseStream:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 22)
        writer.write(request_bytes("GET", path, token=token, extra="Accept: text/event-stream\r\n"))
        status, head = await read_head(reader)
        if status != 200:
            writer.close()
            raise HttpError(f"stream {path}: status {status}")
        if b"transfer-encoding: chunked" not in head:
            writer.close()
            raise HttpError(f"stream {path}: not chunked")
        return cls(reader, writer)

    async def follow(self, on_message: OnMessage, until: Callable[[], bool] = lambda: False) -> None:
        """Hand every message to `on_message` until `until()` is true after one, or the
        server ends the stream."""
        while True:
            chunk = await read_chunk(self.reader)
            if not chunk:
                return
            self._buffer += chunk
            if b"\n\n" not in self._buffer:
                continue
            *messages, self._buffer = self._buffer.split(b"\n\n")
            for message in messages:
                if message.startswith(b":"):
                    continue
                kind, data = b"", b""
                for line in message.split(b"\n"):
                    if line.startswith(b"event: "):
                        kind = line[7:]
                    elif line.startswith(b"data: "):
                        data = line[6:]
                on_message(kind, data)
            if until():
                return

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()

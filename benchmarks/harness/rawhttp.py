"""HTTP/1.1 on raw asyncio sockets: keep-alive, hand-written request bytes, a minimal
response parser. A load generator built on httpx spends more CPU per request than the
server does, so on this 2-core machine it would measure itself.

    conn = await Connection.open("127.0.0.1", 8000)
    status, body = await conn.request("POST", "/path", b'{"a": 1}', token="…", key="…")
"""

from __future__ import annotations

import asyncio
import contextlib

_CONTENT_LENGTH = b"\r\ncontent-length:"
_CHUNKED = b"\r\ntransfer-encoding: chunked"


class HttpError(RuntimeError):
    pass


def request_bytes(
    method: str,
    path: str,
    body: bytes = b"",
    token: str | None = None,
    key: str | None = None,
    extra: str = "",
) -> bytes:
    """The request as it goes on the wire (`extra`: more header lines, each ending in CRLF)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\n{extra}"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    if key:
        head += f"Idempotency-Key: {key}\r\n"
    if body or method in ("POST", "PUT"):
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def read_head(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and the lower-cased header block of the next response."""
    head = await reader.readuntil(b"\r\n\r\n")
    return int(head[9:12]), head.lower()


async def read_chunk(reader: asyncio.StreamReader) -> bytes:
    """One chunk of a chunked body (b"" for the last)."""
    size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
    data = await reader.readexactly(size + 2)
    return data[:-2]


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        return cls(reader, writer)

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        """Write a request (from `request_bytes`) and read the whole response."""
        self.writer.write(raw)
        status, head = await read_head(self.reader)
        at = head.find(_CONTENT_LENGTH)
        if at >= 0:
            end = head.index(b"\r\n", at + 2)
            body = await self.reader.readexactly(int(head[at + len(_CONTENT_LENGTH) : end]))
        elif _CHUNKED in head:
            parts = []
            while part := await read_chunk(self.reader):
                parts.append(part)
            body = b"".join(parts)
        else:
            raise HttpError(f"a response without a length: {head[:200]!r}")
        return status, body

    async def request(
        self, method: str, path: str, body: bytes = b"", token: str | None = None, key: str | None = None
    ) -> tuple[int, bytes]:
        return await self.send(request_bytes(method, path, body, token, key))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()

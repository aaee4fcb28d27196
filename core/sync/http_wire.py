"""HTTP/1.1 on one asyncio stream connection: a request out, its response back.

Only what the sync client needs: requests with a body or none, UTF-8 header values, and
responses delimited by `content-length`, by chunks or by the connection's end, read whole
or piece by piece with a limit on how long any one read may wait (the event stream).
Malformed answers raise `AnswerLost`; the socket's own errors are left to the caller,
which knows whether anything was sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

_READ_SIZE = 65536
_NO_BODY = frozenset({204, 304})


class AnswerLost(Exception):
    """The request went out, or may have, and no complete, well-formed answer came back."""


class Response:
    """A status, its reason, the headers (names lower-cased) and the body, if read."""

    __slots__ = ("body", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, headers: dict[str, str], body: bytes = b"") -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


def request_bytes(method: str, target: str, headers: dict[str, str], body: bytes | None) -> bytes:
    """The request as it goes on the wire; header values in UTF-8 (a barista may be Zoë)."""
    lines = [f"{method} {target} HTTP/1.1"]
    for name, value in headers.items():
        if "\r" in value or "\n" in value or "\0" in value:
            raise ValueError(f"header {name} holds a line break or NUL")
        lines.append(f"{name}: {value}")
    if body is not None or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body or b'')}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return head + body if body else head


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._wait_s: float | None = None  # how long one read may wait; None: as long as it takes
        self.keeps_alive = False  # the last response leaves the connection fit for another

    @property
    def usable(self) -> bool:
        """Whether an idle connection may carry another request (the server has not closed it)."""
        reader = self._reader
        return not (self._writer.is_closing() or reader.at_eof() or reader.exception() is not None)

    def close(self) -> None:
        self._writer.close()

    async def wait_closed(self) -> None:
        await self._writer.wait_closed()

    async def send(self, request: bytes) -> None:
        self._writer.write(request)
        await self._writer.drain()

    async def read_head(self, *, wait_s: float | None = None) -> tuple[Response, bool]:
        """The response's status and headers, and whether its body is framed by chunks."""
        self._wait_s = wait_s
        self.keeps_alive = False  # until this answer says otherwise
        while True:
            block = await self._until(b"\r\n\r\n")
            try:
                status_line, *header_lines = block[:-4].decode("latin-1").split("\r\n")
                version, status_text, *reason = status_line.split(" ", 2)
                status = int(status_text)
            except ValueError as error:
                raise AnswerLost(f"not an HTTP response: {block[:80]!r}") from error
            if not version.startswith("HTTP/1.") or not 100 <= status <= 999:
                raise AnswerLost(f"not an HTTP/1 response: {block[:80]!r}")
            if 100 <= status < 200:
                continue  # an interim answer (100 Continue): the real one follows
            headers = {}
            for line in header_lines:
                name, colon, value = line.partition(":")
                if not colon:
                    raise AnswerLost(f"a header line without a colon: {line[:80]!r}")
                headers[name.strip().lower()] = value.strip()
            chunked = headers.get("transfer-encoding", "").lower().endswith("chunked")
            self.keeps_alive = version == "HTTP/1.1" and "close" not in headers.get("connection", "").lower()
            return Response(status, reason[0] if reason else "", headers), chunked

    async def read_body(self, head: Response, chunked: bool) -> bytes:
        return b"".join([piece async for piece in self.body_pieces(head, chunked)])

    async def body_pieces(self, head: Response, chunked: bool) -> AsyncIterator[bytes]:
        """The body as it arrives. A body that runs to the connection's end leaves the
        connection unfit for another request (`keeps_alive` turns false)."""
        if head.status in _NO_BODY:
            return
        if chunked:
            while size := await self._chunk_size():
                async for piece in self._exactly(size):
                    yield piece
                await self._crlf()
            while await self._until(b"\r\n") != b"\r\n":
                pass  # trailer fields, unused
            return
        length = head.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise AnswerLost(f"a content-length of {length!r}")
            async for piece in self._exactly(int(length)):
                yield piece
            return
        self.keeps_alive = False
        while piece := await self._read(_READ_SIZE):
            yield piece

    async def _chunk_size(self) -> int:
        line = await self._until(b"\r\n")
        try:
            return int(line[:-2].split(b";", 1)[0].strip(), 16)
        except ValueError as error:
            raise AnswerLost(f"a chunk size of {line[:40]!r}") from error

    async def _crlf(self) -> None:
        if await self._until(b"\r\n") != b"\r\n":
            raise AnswerLost("a chunk longer than it said")

    async def _exactly(self, size: int) -> AsyncIterator[bytes]:
        while size > 0:
            piece = await self._read(min(size, _READ_SIZE))
            if not piece:
                raise AnswerLost("the connection closed in the middle of the answer")
            size -= len(piece)
            yield piece

    async def _read(self, size: int) -> bytes:
        async with asyncio.timeout(self._wait_s):
            return await self._reader.read(size)

    async def _until(self, separator: bytes) -> bytes:
        async with asyncio.timeout(self._wait_s):
            return await self._reader.readuntil(separator)


async def lines_of(pieces: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """The body's lines without their endings (CRLF, LF or CR), decoded as UTF-8."""
    pending = b""
    async for piece in pieces:
        parts = (pending + piece).splitlines(keepends=True)
        # The last part may be unfinished, or end in a CR whose LF is still on its way.
        pending = b"" if parts[-1].endswith(b"\n") else parts.pop()
        for part in parts:
            yield part.rstrip(b"\r\n").decode("utf-8", "replace")
    if pending:
        yield pending.rstrip(b"\r\n").decode("utf-8", "replace")

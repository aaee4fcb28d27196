"""A small HTTP/1.1 client for one server: keep-alive connections, timeouts, and failures
split by whether anything was sent.

    http = HttpClient("http://127.0.0.1:8000", {"Authorization": "Bearer …"},
                      timeout_s=5.0, connect_timeout_s=2.0)
    answer = await http.request("POST", "/path", body=b'{"a": 1}', headers={…})
    async with http.stream("GET", "/events", read_timeout_s=20) as (head, body): …
    await http.aclose()

`ConnectFailed`: no connection, nothing sent. `AnswerLost`: sent (or maybe sent) and no
complete answer: reset, end of stream, a timeout, a malformed answer. A request on a reused
connection that dies before its answer is `AnswerLost` too: the server may have read it.
Ours rather than a library's: httpx (with httpcore, anyio, h11) cost the apps ~70 ms of CPU
and ~10 MiB before their first screen; aiohttp is heavier still.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode, urlsplit

from core.sync.http_wire import AnswerLost, Connection, Response, request_bytes

# The stream reader's errors for a connection that broke or an answer cut short
# (TimeoutError and ssl.SSLError are OSErrors; IncompleteReadError is an EOFError).
_BROKEN = (OSError, EOFError, asyncio.LimitOverrunError)
MAX_IDLE = 4  # idle connections kept for reuse


class ConnectFailed(Exception):
    """No connection could be made (refused, no such host, timeout, TLS): nothing was sent."""


def query(params: dict[str, object]) -> str:
    """`params` urlencoded, with booleans and None written as JSON writes them."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return urlencode({name: text(value) for name, value in params.items()})


class HttpClient:
    def __init__(
        self, server: str, headers: dict[str, str], *, timeout_s: float, connect_timeout_s: float
    ) -> None:
        url = urlsplit(server)
        try:
            port = url.port
        except ValueError:  # not a number
            port = -1
        # A mistyped server is said on each request (as Unreachable), not raised here.
        usable = url.scheme in ("http", "https") and url.hostname and port != -1
        self._unusable = None if usable else f"not an http(s) URL: {server!r}"
        self._host = url.hostname or ""
        self._port = port or (443 if url.scheme == "https" else 80)
        self._prefix = url.path.rstrip("/")
        self._headers = {"Host": url.netloc.rpartition("@")[2], **headers}
        self._https = url.scheme == "https"
        # The system's CA bundle (~30 ms, ~3 MiB), loaded for the first https connection;
        # plain http never loads it.
        self.tls: ssl.SSLContext | None = None
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self._idle: list[Connection] = []
        self._open: set[Connection] = set()
        self._closed = False

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, object] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout_s: float | None = None,
    ) -> Response:
        """One request and its whole answer within `timeout_s` (the client's by default)."""
        timeout_s = timeout_s or self.timeout_s
        deadline = asyncio.get_running_loop().time() + timeout_s
        raw = self._request_bytes(method, path, params, headers, body)
        connection = await self._connection(min(timeout_s, self.connect_timeout_s))
        done = False
        try:
            async with asyncio.timeout_at(deadline):
                await connection.send(raw)
                head, chunked = await connection.read_head()
                content = await connection.read_body(head, chunked)
            done = True
        except _BROKEN as error:
            raise AnswerLost(_why(error, f"no answer within {timeout_s:g} s")) from error
        finally:
            self._release(connection, reuse=done and connection.keeps_alive)
        return Response(head.status, head.reason, head.headers, content)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        read_timeout_s: float,
        params: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[tuple[Response, AsyncIterator[bytes]]]:
        """The answer's head, and its body as it comes. Any read (the head's included) that
        waits more than `read_timeout_s` for a byte raises `AnswerLost`. The connection is
        closed when the block ends, however it ends."""
        raw = self._request_bytes(method, path, params, headers, None)
        connection = await self._connection(self.connect_timeout_s)
        try:
            try:
                async with asyncio.timeout(read_timeout_s):
                    await connection.send(raw)
                head, chunked = await connection.read_head(wait_s=read_timeout_s)
            except _BROKEN as error:
                raise AnswerLost(_why(error, f"no answer within {read_timeout_s:g} s")) from error
            yield head, _lost_when_broken(connection.body_pieces(head, chunked), read_timeout_s)
        finally:
            self._release(connection, reuse=False)

    async def aclose(self) -> None:
        """Close every connection, idle or busy; later requests fail as `ConnectFailed`."""
        self._closed = True
        self._idle.clear()
        connections, self._open = self._open, set()
        for connection in connections:
            connection.close()
        for connection in connections:
            with contextlib.suppress(*_BROKEN):
                await connection.wait_closed()

    # -- connections ----------------------------------------------------------------------

    async def _connection(self, timeout_s: float) -> Connection:
        """An idle connection the server has not closed, else a new one."""
        while self._idle:
            connection = self._idle.pop()  # the newest: the least likely to be timed out
            if connection.usable:
                return connection
            self._drop(connection)
        if self._closed or self._unusable:
            raise ConnectFailed(self._unusable or "the client is closed")
        if self._https and self.tls is None:
            self.tls = ssl.create_default_context()
        try:
            async with asyncio.timeout(timeout_s):
                reader, writer = await asyncio.open_connection(
                    self._host, self._port, ssl=self.tls, limit=1 << 20
                )
        except (OSError, ValueError) as error:  # ssl.CertificateError is a ValueError
            where = f"{self._host}:{self._port}"
            raise ConnectFailed(f"{where}: {_why(error, f'no connection within {timeout_s:g} s')}") from error
        connection = Connection(reader, writer)
        self._open.add(connection)
        return connection

    def _release(self, connection: Connection, *, reuse: bool) -> None:
        if reuse and not self._closed and len(self._idle) < MAX_IDLE and connection in self._open:
            self._idle.append(connection)
        else:
            self._drop(connection)

    def _drop(self, connection: Connection) -> None:
        self._open.discard(connection)
        connection.close()

    def _request_bytes(
        self,
        method: str,
        path: str,
        params: dict[str, object] | None,
        headers: dict[str, str] | None,
        body: bytes | None,
    ) -> bytes:
        target = self._prefix + path
        if params:
            target += ("&" if "?" in target else "?") + query(params)
        return request_bytes(method, target, {**self._headers, **(headers or {})}, body)


async def _lost_when_broken(pieces: AsyncIterator[bytes], read_timeout_s: float) -> AsyncIterator[bytes]:
    """A streamed body whose breaks are `AnswerLost`, as the head's are."""
    try:
        async for piece in pieces:
            yield piece
    except _BROKEN as error:
        raise AnswerLost(_why(error, f"nothing heard for {read_timeout_s:g} s")) from error


def _why(error: BaseException, timed_out: str) -> str:
    if isinstance(error, TimeoutError):
        return timed_out
    return str(error) or type(error).__name__

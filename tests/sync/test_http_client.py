"""The sync client's own HTTP, through `BackendApi`, against servers that misbehave on demand
(`ScriptedServer`): framing, keep-alive, timeouts, and every failure sorted as the API's
module says (nothing sent: Unreachable; sent without a whole answer: OutcomeUnknown)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import ErrorCode
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from tests.sync.scripted_http import ScriptedConnection, ScriptedServer, answer
from tests.sync.waiting import until

OK_EMPTY = answer("200 OK", b"{}")


def api_for(url: str, **options: float) -> BackendApi:
    return BackendApi(url, "booth", "secret-token", **options)


async def keep_answering(conn: ScriptedConnection) -> None:
    """A well-behaved keep-alive server: `{}` to every request."""
    while await conn.request():
        await conn.write(OK_EMPTY)


async def test_a_request_carries_json_query_utf8_headers_and_the_token() -> None:
    async def chunked_answer(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(b"HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n")
        for chunk in (b'{"id": "o', b'1", "by": "Zo\xc3', b'\xab"}'):  # a letter cut in two
            await conn.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        await conn.write(b"0\r\n\r\n")

    async with ScriptedServer(chunked_answer) as server:
        api = api_for(server.url)
        result = await api.send(
            "POST",
            "/api/v1/stores/booth/orders/o1/claim",
            json={"note": "oat milk ☕"},
            key="key-1",
            headers={"X-Barista": "Zoë"},
            params={"after": 3, "wait": True, "q": "a b&c"},
        )
        await api.aclose()
    assert result == {"id": "o1", "by": "Zoë"}
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /api/v1/stores/booth/orders/o1/claim?after=3&wait=true&q=a+b%26c HTTP/1.1"
    assert b"Authorization: Bearer secret-token" in lines
    assert b"X-Barista: Zo\xc3\xab" in lines  # UTF-8, as the backend reads it
    assert b"Idempotency-Key: key-1" in lines
    assert b"Content-Type: application/json" in lines
    assert f"Content-Length: {len(body)}".encode() in lines
    assert json.loads(body) == {"note": "oat milk ☕"}


async def test_requests_share_one_kept_alive_connection() -> None:
    async with ScriptedServer(keep_answering) as server:
        api = api_for(server.url)
        for _ in range(3):
            assert await api.send("GET", "/healthz") == {}
        await asyncio.gather(*(api.send("GET", "/healthz") for _ in range(3)))
        await api.aclose()
    assert len(server.requests) == 6
    assert server.connections == 3  # one for the first three; the parallel ones need three


async def test_an_idle_connection_the_server_closed_is_dropped_not_used() -> None:
    async def one_answer_then_close(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(OK_EMPTY)  # keep-alive by its headers, yet closed: a server's idle timeout

    async with ScriptedServer(one_answer_then_close) as server:
        api = api_for(server.url)
        await api.send("GET", "/healthz")
        idle = list(api._http._idle)
        await until(lambda: not idle[0].usable, 5, "the client to see the connection closed")
        assert await api.send("GET", "/healthz") == {}
        await api.aclose()
    assert server.connections == 2


async def test_a_reused_connection_that_dies_before_answering_is_outcome_unknown() -> None:
    async def answer_once_then_drop(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(OK_EMPTY)
        await conn.request()  # read, maybe acted on, never answered
        conn.writer.transport.abort()

    async with ScriptedServer(answer_once_then_drop) as server:
        api = api_for(server.url)
        await api.send("GET", "/healthz")
        with pytest.raises(OutcomeUnknown):
            await api.send("POST", "/api/v1/stores/booth/events", json={}, key="k")
        assert await api.send("GET", "/healthz") == {}  # a new connection
        await api.aclose()
    assert server.connections == 2


@pytest.mark.parametrize(
    "partial",
    [
        b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"a": ',
        b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n20\r\n{"a": ',
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n",  # no last chunk
        b"HTTP/1.1 200 OK\r\ncontent-",
        b"",
    ],
    ids=["length", "in-a-chunk", "no-last-chunk", "in-the-head", "nothing"],
)
async def test_an_answer_cut_short_is_outcome_unknown(partial: bytes) -> None:
    async def cut(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(partial)
        conn.writer.transport.abort()

    async with ScriptedServer(cut) as server:
        api = api_for(server.url)
        with pytest.raises(OutcomeUnknown):
            await api.send("POST", "/x", json={"a": 1}, key="k")
        await api.aclose()


@pytest.mark.parametrize(
    "garbage",
    [b"SSH-2.0-OpenSSH_9.6\r\n\r\n", b"HTTP/1.1 2x0 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
    ids=["not-http", "bad-status", "bad-header"],
)
async def test_a_malformed_answer_is_outcome_unknown(garbage: bytes) -> None:
    async def babble(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(garbage)
        await conn.closed_by_client()

    async with ScriptedServer(babble) as server:
        api = api_for(server.url)
        with pytest.raises(OutcomeUnknown):
            await api.send("GET", "/healthz")
        await api.aclose()


async def test_a_server_that_never_answers_is_outcome_unknown_and_the_connection_dropped() -> None:
    hung_up = asyncio.Event()

    async def falls_silent(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(OK_EMPTY)
        await conn.request()
        await conn.closed_by_client()
        hung_up.set()

    async with ScriptedServer(falls_silent) as server:
        api = api_for(server.url, timeout_s=0.2)
        await api.send("GET", "/healthz")
        with pytest.raises(OutcomeUnknown, match=r"no answer within 0.2 s"):
            await api.send("GET", "/healthz")
        await asyncio.wait_for(hung_up.wait(), 5)  # closed, not kept for the next request
        assert await api.send("GET", "/healthz") == {}
        await api.aclose()
    assert server.connections == 2


async def test_nothing_listening_is_unreachable(dead_server: str) -> None:
    api = api_for(dead_server)
    with pytest.raises(Unreachable):
        await api.send("POST", "/x", json={}, key="k")
    await api.aclose()


@pytest.mark.parametrize(
    "url", ["http://no-such-host.invalid:8000", "127.0.0.1:8000", "ftp://127.0.0.1", "http://127.0.0.1:80a"]
)
async def test_an_unknown_host_or_a_mistyped_url_is_unreachable(url: str) -> None:
    api = api_for(url)
    with pytest.raises(Unreachable):
        await api.send("GET", "/healthz")
    await api.aclose()


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A port whose listener never accepts and whose queue is full: connecting hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
        yield port
        for filler in fillers:
            filler.close()


async def test_a_connect_timeout_is_unreachable(stalled_port: int) -> None:
    api = api_for(f"http://127.0.0.1:{stalled_port}", connect_timeout_s=0.2)
    with pytest.raises(Unreachable, match=r"no connection within 0.2 s"):
        await api.send("POST", "/x", json={}, key="k")
    await api.aclose()


@pytest.mark.parametrize("status", ["500 Internal Server Error", "503 Service Unavailable", "408 Timeout"])
async def test_a_server_failure_is_outcome_unknown(status: str) -> None:
    async def fail(conn: ScriptedConnection) -> None:
        while await conn.request():
            await conn.write(answer(status, b"<html>oops</html>"))

    async with ScriptedServer(fail) as server:
        api = api_for(server.url)
        with pytest.raises(OutcomeUnknown, match=status[:3]):
            await api.send("POST", "/x", json={}, key="k")
        await api.aclose()


async def test_a_problem_answer_is_refused_with_the_api_code() -> None:
    problem = json.dumps({"code": "not_found", "title": "Not found", "detail": "no order o9"}).encode()

    async def refuse(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(answer("404 Not Found", problem, "content-type: application/problem+json\r\n"))
        await conn.request()
        await conn.write(answer("409 Conflict", b"not json"))
        await conn.closed_by_client()

    async with ScriptedServer(refuse) as server:
        api = api_for(server.url)
        with pytest.raises(Refused) as refused:
            await api.send("POST", "/x", json={}, key="k")
        assert (refused.value.status, refused.value.code, refused.value.detail) == (
            404,
            ErrorCode.NOT_FOUND,
            "no order o9",
        )
        with pytest.raises(Refused) as refused:
            await api.send("POST", "/x", json={}, key="k")
        assert (refused.value.status, refused.value.code, refused.value.detail) == (409, None, "Conflict")
        await api.aclose()
    assert server.connections == 1  # a refusal leaves the connection fit for the next request


# -- streams ---------------------------------------------------------------------------------


STREAM_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def read_lines(api: BackendApi, into: list[str], read_timeout_s: float = 5.0) -> None:
    async with api.stream_lines(7, read_timeout_s=read_timeout_s, params={"keepalive": 1.0}) as lines:
        async for line in lines:
            into.append(line)


async def test_a_stream_gives_its_lines_however_the_chunks_cut_them() -> None:
    # A CRLF cut in two, a letter cut in two, lines ended by CR, LF and CRLF.
    pieces = [
        b": keep-alive\n\nid: 8\r",
        b'\ndata: {"who": "Zo',
        b"\xc3",
        b'\xabe"}\n',
        b"\n",
        b"data: x\rdata: y\r\n\r\n",
    ]

    async def stream(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(STREAM_HEAD)
        for piece in pieces:
            await conn.write(chunk(piece))
        await conn.write(b"0\r\n\r\n")

    async with ScriptedServer(stream) as server:
        api = api_for(server.url)
        lines: list[str] = []
        await read_lines(api, lines)
        await api.aclose()
    assert lines == [": keep-alive", "", "id: 8", 'data: {"who": "Zoëe"}', "", "data: x", "data: y", ""]
    request_line = server.requests[0].split(b"\r\n")[0]
    assert request_line == b"GET /api/v1/stores/booth/events/stream?after=7&keepalive=1.0 HTTP/1.1"
    assert b"Accept: text/event-stream" in server.requests[0]


async def test_a_silent_stream_is_outcome_unknown_after_its_read_timeout() -> None:
    async def falls_silent(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(STREAM_HEAD + chunk(b"data: 1\n\n"))
        await conn.closed_by_client()

    async with ScriptedServer(falls_silent) as server:
        api = api_for(server.url)
        lines: list[str] = []
        with pytest.raises(OutcomeUnknown, match=r"nothing heard for 0.3 s"):
            await read_lines(api, lines, read_timeout_s=0.3)
        await api.aclose()
    assert lines == ["data: 1", ""]


async def test_a_stream_whose_head_never_comes_is_outcome_unknown() -> None:
    async def silent(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.closed_by_client()

    async with ScriptedServer(silent) as server:
        api = api_for(server.url)
        with pytest.raises(OutcomeUnknown):
            await read_lines(api, [], read_timeout_s=0.2)
        await api.aclose()


async def test_a_stream_cut_mid_line_is_outcome_unknown() -> None:
    async def cut(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(STREAM_HEAD + chunk(b'data: 1\n\ndata: {"half'))
        conn.writer.transport.abort()

    async with ScriptedServer(cut) as server:
        api = api_for(server.url)
        lines: list[str] = []
        with pytest.raises(OutcomeUnknown):
            await read_lines(api, lines)
        await api.aclose()
    assert lines == ["data: 1", ""]


async def test_a_refused_stream_is_refused() -> None:
    problem = json.dumps({"code": "unauthorized", "detail": "bad token"}).encode()

    async def refuse(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(answer("401 Unauthorized", problem))
        await conn.closed_by_client()

    async with ScriptedServer(refuse) as server:
        api = api_for(server.url)
        with pytest.raises(Refused) as refused:
            await read_lines(api, [])
        await api.aclose()
    assert (refused.value.code, refused.value.detail) == (ErrorCode.UNAUTHORIZED, "bad token")


async def test_a_cancelled_stream_closes_its_connection() -> None:
    hung_up = asyncio.Event()

    async def endless(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(STREAM_HEAD + chunk(b"data: 1\n\n"))
        await conn.closed_by_client()
        hung_up.set()

    async with ScriptedServer(endless) as server:
        api = api_for(server.url)
        lines: list[str] = []
        reader = asyncio.create_task(read_lines(api, lines))
        await until(lambda: len(lines) == 2, 5, "the first event")
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        await asyncio.wait_for(hung_up.wait(), 5)
        assert not api._http._open
        await api.aclose()


# -- the client's life -----------------------------------------------------------------------


async def test_closing_the_api_closes_its_connections_and_sends_nothing_more() -> None:
    hung_up = asyncio.Event()

    async def answer_until_closed(conn: ScriptedConnection) -> None:
        await keep_answering(conn)
        hung_up.set()

    async with ScriptedServer(answer_until_closed) as server:
        api = api_for(server.url)
        await api.send("GET", "/healthz")
        await api.aclose()
        await asyncio.wait_for(hung_up.wait(), 5)
        with pytest.raises(Unreachable):
            await api.send("GET", "/healthz")
    assert server.connections == 1


async def test_plain_http_never_loads_a_ca_bundle() -> None:
    async with ScriptedServer(keep_answering) as server:
        api = api_for(server.url)
        await api.send("GET", "/healthz")
        assert api._http.tls is None
        await api.aclose()


@pytest.fixture
def self_signed(tmp_path: Path) -> ssl.SSLContext:
    """A server's TLS context with a certificate nobody vouches for."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def test_https_checks_the_certificate_before_sending_anything(self_signed: ssl.SSLContext) -> None:
    requests: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, ssl.SSLError):  # the client refused the certificate
            requests.append(await reader.read(65536))
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=self_signed)
    port = server.sockets[0].getsockname()[1]
    api = api_for(f"https://127.0.0.1:{port}")
    with pytest.raises(Unreachable, match="CERTIFICATE_VERIFY_FAILED"):
        await api.send("POST", "/x", json={}, key="k")
    tls = api._http.tls
    assert tls is not None and tls.verify_mode is ssl.CERT_REQUIRED and tls.check_hostname
    await api.aclose()
    server.close()
    await server.wait_closed()
    assert not any(requests)

"""Event streams: resume points, keep-alives, tokens, live delivery, clean shutdown."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.api import place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer
from tests.support.sse import SseReader


@pytest.fixture(scope="module")
def server(module_server_factory: ServerFactory) -> BackendServer:
    return module_server_factory(
        store={"drinks_per_code": 1000, "max_queue": 1000}, env={"ESPRESSO_SSE_KEEPALIVE_S": "0.2"}
    )


def _stream(server: BackendServer, **params: object) -> SseReader:
    return SseReader(
        f"{server.url}/api/v1/stores/booth/events/stream",
        params={"access_token": server.display_token, **params},
    )


def test_after_and_last_event_id_choose_where_the_stream_starts(server: BackendServer) -> None:
    place_order(server, "Ann")
    with _stream(server, after=1) as stream:
        assert stream.next() is not None and stream.seen[-1].id == "2"
    with SseReader(
        f"{server.url}/api/v1/stores/booth/events/stream",
        params={"after": 1, "access_token": server.display_token},
        headers={"Last-Event-ID": "3"},
    ) as stream:
        first = stream.next()
        assert first is not None and first.id == "4"  # Last-Event-ID wins over after
    bad = httpx.get(
        f"{server.url}/api/v1/stores/booth/events/stream",
        params={"after": "soon", "access_token": server.display_token},
    )
    assert bad.status_code == 422


def test_keep_alive_comments_flow_while_nothing_happens(server: BackendServer) -> None:
    last = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display"))
    with _stream(server, after=last.json()["last_seq"]) as stream:
        comments = [stream.next(timeout=3, comments=True) for _ in range(3)]
    texts = [m.comment for m in comments if m is not None]
    assert "keep-alive" in texts


def test_stream_tokens(server: BackendServer) -> None:
    order, token = place_order(server, "Bea")
    other, _ = place_order(server, "Cal")
    base = f"{server.url}/api/v1"
    assert httpx.get(f"{base}/stores/booth/events/stream").status_code == 401
    assert httpx.get(f"{base}/stores/booth/events/stream", params={"access_token": "nope"}).status_code == 401
    as_customer = httpx.get(f"{base}/stores/booth/events/stream", params={"access_token": token})
    assert as_customer.status_code == 403
    assert httpx.get(f"{base}/orders/{other['id']}/stream", params={"access_token": token}).status_code == 404
    with SseReader(
        f"{base}/orders/{order['id']}/stream", headers={"Authorization": f"Bearer {token}"}
    ) as stream:
        assert stream.status == 200
        assert [m.event for m in stream.events(2)] == ["OrderStarted", "OrderPlaced"]


def test_every_stream_gets_each_event_within_milliseconds(server: BackendServer) -> None:
    last = httpx.get(f"{server.url}/api/v1/stores/booth/events", headers=server.headers("display"))
    after = last.json()["last_seq"]
    with _stream(server, after=after) as one, _stream(server, after=after) as two:
        for stream in (one, two):
            stream.next(timeout=3, comments=True)  # connected: the stream is open
        started = time.monotonic()
        response = httpx.post(f"{server.url}/api/v1/stores/booth/close", headers=server.headers())
        answered = time.monotonic()
        assert response.status_code == 200
        for stream in (one, two):
            message = stream.wait_for(lambda m: m.event == "StoreClosed", timeout=5)
            assert message.json()["type"] == "StoreClosed"
        arrived = time.monotonic()
    httpx.post(f"{server.url}/api/v1/stores/booth/open", headers=server.headers())
    assert arrived - answered < 0.5, (answered - started, arrived - answered)


def test_sigterm_stops_the_server_even_with_streams_open(server_factory: ServerFactory) -> None:
    server = server_factory()
    with _stream(server) as stream:
        stream.next()
        started = time.monotonic()
        assert server.stop(timeout=10) == 0
        assert time.monotonic() - started < 8

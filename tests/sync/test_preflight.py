"""The apps' check before they start: only a clear "no such store" from our backend stops
them; anything else (the server away, another server's 404) lets them start and find out."""

from __future__ import annotations

import socket

from core.sync.preflight import unknown_store
from tests.support.server import BackendServer
from tests.sync.scripted_http import ScriptedConnection, ScriptedServer, answer


async def test_an_unknown_store_is_said_and_a_known_one_is_not(backend_server: BackendServer) -> None:
    said = await unknown_store(backend_server.url, "nope")
    assert said is not None and "no store 'nope'" in said
    assert await unknown_store(backend_server.url, "booth") is None


async def test_a_server_that_is_away_lets_the_app_start_offline() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert await unknown_store(f"http://127.0.0.1:{port}", "booth", timeout_s=1) is None
    assert await unknown_store("not a url", "booth") is None


async def test_a_404_that_is_not_our_backends_lets_the_app_start() -> None:
    async def proxy_page(conn: ScriptedConnection) -> None:
        await conn.request()
        await conn.write(answer("404 Not Found", b"<html>no such page</html>"))

    async with ScriptedServer(proxy_page) as server:
        assert await unknown_store(server.url, "booth") is None

"""The sync client's HTTP against the real backend, and what it loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ErrorCode
from core.sync.http_api import BackendApi, Refused
from tests.support.server import BackendServer

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_an_app_reaches_its_first_screen_without_httpx() -> None:
    # Everything an app imports to show its replica.
    code = (
        "import sys, kiosk.app, kiosk.feed_source, barista_tui.app, core.sync.client, "
        "core.sync.preflight; print('httpx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


FOLLOW = """
import asyncio, sys
from core.sync.http_api import BackendApi, Refused

async def main(url, token):
    api = BackendApi(url, "booth", token)
    await api.store_info()
    events, _ = await api.events_page(0)
    async with api.stream_lines(0, read_timeout_s=5, params={"keepalive": 0.05}) as lines:
        async for line in lines:
            break
    try:
        await BackendApi(url, "booth", "wrong").events_page(0)
    except Refused:
        pass
    await api.aclose()
    print("httpx" in sys.modules)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_the_sync_client_talks_to_the_backend_without_httpx(backend_server: BackendServer) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FOLLOW, backend_server.url, backend_server.barista_token],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    assert result.stdout.strip() == "False"


async def test_the_backend_refusing_a_token_is_refused_with_its_code(backend_server: BackendServer) -> None:
    api = BackendApi(backend_server.url, "booth", "not-a-token")
    with pytest.raises(Refused) as refused:
        await api.events_page(0)
    assert (refused.value.status, refused.value.code) == (401, ErrorCode.UNAUTHORIZED)
    with pytest.raises(Refused) as refused:
        async with api.stream_lines(0, read_timeout_s=5) as lines:
            async for _ in lines:
                pass
    assert (refused.value.status, refused.value.code) == (401, ErrorCode.UNAUTHORIZED)
    await api.aclose()


async def test_requests_share_a_connection_and_the_stream_has_its_own(backend_server: BackendServer) -> None:
    api = BackendApi(backend_server.url, "booth", backend_server.barista_token)
    for _ in range(5):
        await api.store_info()
    async with api.stream_lines(0, read_timeout_s=5, params={"keepalive": 0.05}) as lines:
        first = await anext(aiter(lines))
        await api.events_page(0)
        assert len(api._http._open) == 2
    assert first.startswith(":") or first.startswith(("id:", "event:", "data:", "retry:"))
    assert len(api._http._open) == 1  # the stream's closed, the requests' kept
    await api.aclose()
    assert not api._http._open

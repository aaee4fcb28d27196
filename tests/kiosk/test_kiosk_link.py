"""The venue's network between the kiosk and a live backend: cut, or silently stopped, then
back. The kiosk says so, sends people to the counter, and catches up when it returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.widgets.board import MakingList, ReadyNumber
from kiosk.widgets.qr_code import QrCode
from tests.kiosk.backend_kiosk import Api, kiosk_for
from tests.kiosk.conftest import wait_until
from tests.kiosk.screen_reading import region_text, screen_text
from tests.support.proxy import TcpProxy
from tests.support.server import BackendServer


@pytest.fixture
async def proxy(backend_server: BackendServer) -> AsyncIterator[TcpProxy]:
    link = await TcpProxy(upstream_port=backend_server.port).start()
    try:
        yield link
    finally:
        await link.close()


def qr_data(app: KioskApp) -> str:
    found = app.screen.query(QrCode)
    return found.first().data if found else ""


def making(app: KioskApp) -> str:
    found = app.screen.query(MakingList)
    return region_text(app, found.first()) if found else ""


def offline(app: KioskApp) -> bool:
    text = screen_text(app)
    return "OFFLINE since " in text and "Order at the counter" in text


async def test_a_cut_link_then_catching_up(
    backend_server: BackendServer, proxy: TcpProxy, tmp_path: Path
) -> None:
    app, api = kiosk_for(backend_server, tmp_path, url=proxy.url), Api(backend_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: qr_data(app) != "", "the code")
        await proxy.cut()
        await wait_until(pilot, lambda: offline(app), "OFFLINE and the counter", timeout=20)
        assert qr_data(app) == ""

        # The stall carries on while the kiosk cannot see it.
        first, second = await api.place("Grace"), await api.place("Alan")
        await api.order_action(first, "claim")
        await api.order_action(second, "complete")

        await proxy.heal()
        await wait_until(pilot, lambda: qr_data(app) != "", "the code again", timeout=20)
        assert "OFFLINE" not in screen_text(app)
        await wait_until(pilot, lambda: "Grace" in making(app), "Grace in Making now")
        await wait_until(pilot, lambda: [n.value for n in app.screen.query(ReadyNumber)] == ["2"], "2 ready")


async def test_a_silent_link_is_noticed(
    backend_server: BackendServer, proxy: TcpProxy, tmp_path: Path
) -> None:
    app = kiosk_for(backend_server, tmp_path, url=proxy.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: qr_data(app) != "", "the code")
        proxy.freeze()  # no error, no bytes: the link just stops
        await wait_until(pilot, lambda: offline(app), "OFFLINE and the counter", timeout=30)
        proxy.thaw()
        await wait_until(pilot, lambda: qr_data(app) != "", "the code again", timeout=30)

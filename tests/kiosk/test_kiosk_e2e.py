"""The kiosk against a real backend process through the real sync client: what the booth
screen shows as phones order, the barista works, the store closes and the link drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.widgets.board import MakingList, ReadyNumber
from kiosk.widgets.qr_code import QrCode
from tests.kiosk.backend_kiosk import Api, kiosk_for
from tests.kiosk.conftest import wait_until
from tests.kiosk.screen_reading import decode_qr, rasterise, region_text, screen_text
from tests.support.server import BackendServer


def qr_data(app: KioskApp) -> str:
    found = app.screen.query(QrCode)
    return found.first().data if found else ""


def making(app: KioskApp) -> str:
    found = app.screen.query(MakingList)
    return region_text(app, found.first()) if found else ""


def ready(app: KioskApp) -> list[str]:
    return [n.value for n in app.screen.query(ReadyNumber)]


@pytest.mark.parametrize("size", [(80, 24), (240, 67)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_code_on_screen_is_the_backends_code(
    backend_server: BackendServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app, api = kiosk_for(backend_server, tmp_path), Api(backend_server)
    url = (await api.code())["url"]
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: qr_data(app) == url, "the backend's code")
        await wait_until(pilot, lambda: "10 drinks left on this code" in screen_text(app), "drinks left")
        assert decode_qr(rasterise(app, app.screen.query_one(QrCode).region)) == [url]


async def test_an_order_goes_from_making_to_ready_live(backend_server: BackendServer, tmp_path: Path) -> None:
    app, api = kiosk_for(backend_server, tmp_path), Api(backend_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: qr_data(app) != "", "the code")
        order = await api.place("Ada Lovelace")
        await wait_until(pilot, lambda: "9 drinks left on this code" in screen_text(app), "a drink used")
        await wait_until(pilot, lambda: "1 order waiting" in screen_text(app), "the order waiting")

        await api.order_action(order, "claim")
        await wait_until(pilot, lambda: "#1   Ada" in making(app), "Ada in Making now")
        assert "Lovelace" not in screen_text(app)

        await api.order_action(order, "complete")
        await wait_until(pilot, lambda: ready(app) == ["1"], "number 1 ready for pickup")
        assert "Ada" not in making(app)


async def test_closing_the_store_hides_the_code(backend_server: BackendServer, tmp_path: Path) -> None:
    app, api = kiosk_for(backend_server, tmp_path), Api(backend_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: qr_data(app) != "", "the code")
        await api.store_action("close")
        await wait_until(pilot, lambda: "Closed" in screen_text(app), "the Closed sign")
        assert qr_data(app) == ""
        assert "drinks left" not in screen_text(app)

        await api.store_action("open")
        await wait_until(pilot, lambda: qr_data(app) != "", "the code again")


async def test_losing_the_backend_sends_people_to_the_counter(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    app, api = kiosk_for(backend_server, tmp_path), Api(backend_server)
    async with app.run_test(size=(100, 30)) as pilot:
        order = await api.place("Grace")
        await api.order_action(order, "claim")
        await wait_until(pilot, lambda: qr_data(app) != "" and "Grace" in making(app), "the code and Grace")

        backend_server.kill()
        # A failed code fetch may send people to the counter a moment before the link is
        # declared down; both must show.
        await wait_until(pilot, lambda: "OFFLINE since " in screen_text(app), "the OFFLINE badge", timeout=20)
        assert "Order at the counter" in screen_text(app)
        assert qr_data(app) == ""
        assert "Grace" in making(app)  # the queue it knows stays on the board

        backend_server.start()  # the same port and database
        await wait_until(pilot, lambda: qr_data(app) != "", "the code after the link returns", timeout=20)
        assert "OFFLINE" not in screen_text(app)

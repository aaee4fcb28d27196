"""The booth screen with hostile names in "Making now", through the real backend and the real
sync client: the names appear as typed (first name, cut to the column), never as effects."""

from __future__ import annotations

from pathlib import Path

from core.text import first_name
from kiosk.app import KioskApp
from kiosk.widgets.board import NAME_WIDTH, MakingList
from tests.hardening.hostile import HOSTILE_HEADER_NAMES, HOSTILE_NAMES
from tests.hardening.screen_check import control_characters, links, not_in_one_style
from tests.kiosk.backend_kiosk import Api, kiosk_for
from tests.kiosk.conftest import wait_until
from tests.kiosk.screen_reading import region_text
from tests.support.fixtures import ServerFactory


def _as_shown(name: str) -> str:
    shown = first_name(name)
    return shown if len(shown) <= NAME_WIDTH else shown[: NAME_WIDTH - 1] + "…"


def making(app: KioskApp) -> str:
    found = app.screen.query(MakingList)
    return region_text(app, found.first()) if found else ""


async def test_hostile_names_in_making_now_are_plain_text(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(store={"drinks_per_code": 1000})
    app, api = kiosk_for(server, tmp_path), Api(server)
    async with app.run_test(size=(140, 40)) as pilot:
        for (raw, _), (barista, _) in zip(
            HOSTILE_NAMES, [*HOSTILE_HEADER_NAMES, (b"Ann", "Ann")], strict=True
        ):
            order = await api.place(raw)
            await api.call("POST", f"/api/v1/orders/{order['id']}/claim", headers={"X-Barista": barista})
        expected = [_as_shown(shown) for _, shown in HOSTILE_NAMES]
        await wait_until(pilot, lambda: all(name in making(app) for name in expected), "every name in Making")
        assert "[bold" in making(app) and "[link=https…" in making(app) and "<script>ale…" in making(app)
        assert not_in_one_style(app, expected) == []
        assert links(app) == []
        assert control_characters(app) == []

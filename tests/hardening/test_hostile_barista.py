"""The barista terminal with hostile names on its cards and in an order's timeline, through
the real backend and the real sync client: every name as typed, no markup, link or escape
sequence taking effect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from barista_tui.board import Lane
from tests.barista.support.backend import barista_app
from tests.barista.support.pilot import board, lane_numbers, screen_text, wait_for
from tests.hardening.hostile import HOSTILE_HEADER_NAMES, HOSTILE_NAMES
from tests.hardening.screen_check import control_characters, links, not_in_one_style
from tests.support.api import place_order
from tests.support.fixtures import ServerFactory
from tests.support.server import BackendServer

LINK_NAME = "[link=https://evil]x[/link]"


def _claim(server: BackendServer, order_id: str, barista: bytes) -> None:
    headers = {**server.headers("barista"), "X-Barista": barista}
    response = httpx.post(f"{server.url}/api/v1/orders/{order_id}/claim", headers=headers)
    assert response.status_code == 200, response.text


def _clean_screen(app: Any, pieces: list[str]) -> None:
    assert not_in_one_style(app, pieces) == []
    assert links(app) == []
    assert control_characters(app) == []


async def test_hostile_names_on_cards_and_in_the_timeline_are_plain_text(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(store={"drinks_per_code": 1000})
    orders = [place_order(server, raw, "americano")[0] for raw, _ in HOSTILE_NAMES]
    # The first few are being made, by baristas with hostile names of their own.
    for order, (barista, _) in zip(orders, HOSTILE_HEADER_NAMES[:3], strict=False):
        _claim(server, order["id"], barista)
    app = barista_app(server, "Ana", tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.QUEUE)) == 3, what="the queue")
        await wait_for(pilot, lambda: len(lane_numbers(app, Lane.MAKING)) == 3, what="being made")
        on_cards = ["[bold", LINK_NAME, "<script>alert(1)</script>", "<img", "Eve", "Redevil"]
        text = screen_text(app)
        for shown in on_cards:
            assert shown in text, shown
        _clean_screen(app, on_cards)

        # The timeline of the order with a link for a name, claimed by a barista named the same.
        link_order = next(o for o in orders if o["customer_name"] == LINK_NAME)
        link_card = next(
            lane
            for lane in (Lane.QUEUE, Lane.MAKING)
            if link_order["id"] in board(app).columns[lane].order_ids
        )
        screen = board(app)
        while screen.active_lane is not link_card:
            await pilot.press("l")
        column = screen.columns[link_card]
        while column.cursor_card is None or column.cursor_card.number != link_order["number"]:
            await pilot.press("j")
        await pilot.press("t")
        await wait_for(pilot, lambda: "OrderPlaced" in screen_text(app) or "Placed" in screen_text(app))
        timeline = screen_text(app)
        assert LINK_NAME in timeline
        assert f"by {LINK_NAME}" in timeline  # the hostile barista who claimed it
        _clean_screen(app, [LINK_NAME, f"by {LINK_NAME}"])

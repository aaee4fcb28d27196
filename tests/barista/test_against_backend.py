"""The barista terminal against a real backend process, through the real sync client.

Each command made from the keyboard must change the order on the backend, as any other
client would see it through the HTTP API.
"""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import httpx

from barista_tui.app import build_app
from barista_tui.board import Lane
from core.config import settings_from_mapping
from tests.barista.support.backend import backend_order, backend_orders, barista_app
from tests.barista.support.pilot import board, lane_numbers, screen_text, selected_number, told, wait_for
from tests.support.api import place_order
from tests.support.proxy import TcpProxy
from tests.support.server import BackendServer


async def test_claim_unclaim_complete_and_cancel_change_the_backend(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    orders = [place_order(backend_server, name, "flat-white", {"milk": "oat"})[0] for name in ("Ada", "Bo")]
    first, second = (order["id"] for order in orders)
    app = barista_app(backend_server, "Ana", tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2], what="the queue")
        await wait_for(pilot, lambda: " ONLINE " in screen_text(app), what="online")

        await pilot.press("enter")
        await wait_for(pilot, lambda: backend_order(backend_server, first)["state"] == "making")
        assert backend_order(backend_server, first)["barista"] == "Ana"
        await wait_for(pilot, lambda: lane_numbers(app, Lane.MAKING) == [1])

        await pilot.press("l", "u")
        await wait_for(pilot, lambda: backend_order(backend_server, first)["state"] == "queued")
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, 2])

        await pilot.press("h", "space")
        await wait_for(pilot, lambda: backend_order(backend_server, first)["state"] == "completed")
        await wait_for(pilot, lambda: lane_numbers(app, Lane.READY) == [1])

        assert selected_number(app) == 2
        await pilot.press("x")
        await wait_for(pilot, lambda: "Cancel #2 for Bo?" in screen_text(app))
        await pilot.press(*"spilled", "enter")
        await wait_for(pilot, lambda: backend_order(backend_server, second)["state"] == "cancelled")
        assert backend_order(backend_server, second)["reason"] == "barista: spilled"
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [])
        assert "Cancelled #2" in told(app)


async def test_a_walk_up_gets_a_number_and_is_on_the_backend(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    place_order(backend_server, "Ada", "espresso")
    app = barista_app(backend_server, "Ana", tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: " ONLINE " in screen_text(app) and lane_numbers(app, Lane.QUEUE) == [1])
        await pilot.press("w", "3")  # Latte
        await wait_for(pilot, lambda: "Milk:" in screen_text(app))
        await pilot.press("3", "2", *"Zoe", "enter")  # Soy, Large, the name
        await wait_for(
            pilot, lambda: any(o["customer_name"] == "Zoe" for o in backend_orders(backend_server))
        )
        walk_up = next(o for o in backend_orders(backend_server) if o["customer_name"] == "Zoe")
        number = walk_up["number"]  # the backend's next number (devices may hold leased blocks)
        assert walk_up["state"] == "queued" and isinstance(number, int) and number > 1
        assert (walk_up["item"], walk_up["options"]) == ("latte", {"milk": "Soy", "size": "Large"})
        await wait_for(pilot, lambda: lane_numbers(app, Lane.QUEUE) == [1, number])
        await wait_for(pilot, lambda: f"Walk-up #{number} for Zoe placed" in told(app))


async def test_two_baristas_race_for_one_order_and_one_gets_it(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    order, _ = place_order(backend_server, "Ada", "espresso")
    ana = barista_app(backend_server, "Ana", tmp_path / "ana")
    bob = barista_app(backend_server, "Bob", tmp_path / "bob")
    async with ana.run_test(size=(120, 36)) as ana_pilot, bob.run_test(size=(120, 36)) as bob_pilot:
        for app, pilot in ((ana, ana_pilot), (bob, bob_pilot)):
            await wait_for(pilot, lambda app=app: " ONLINE " in screen_text(app))  # type: ignore[misc]
            await wait_for(pilot, lambda app=app: lane_numbers(app, Lane.QUEUE) == [1])  # type: ignore[misc]

        # Both press Enter at once: each claim leaves before either hears of the other's.
        await asyncio.gather(ana_pilot.press("enter"), bob_pilot.press("enter"))

        await wait_for(ana_pilot, lambda: backend_order(backend_server, order["id"])["state"] == "making")
        winner = backend_order(backend_server, order["id"])["barista"]
        assert winner in ("Ana", "Bob")
        loser_app, loser_pilot = (bob, bob_pilot) if winner == "Ana" else (ana, ana_pilot)
        winner_app, winner_pilot = (ana, ana_pilot) if winner == "Ana" else (bob, bob_pilot)
        await wait_for(
            loser_pilot, lambda: f"{winner} is making #1" in told(loser_app), what="the loser told"
        )
        await wait_for(winner_pilot, lambda: "Claimed #1" in told(winner_app), what="the winner told")
        # Both boards agree, and the loser's card names who has it.
        for app, pilot in ((ana, ana_pilot), (bob, bob_pilot)):
            await wait_for(pilot, lambda app=app: lane_numbers(app, Lane.MAKING) == [1])  # type: ignore[misc]
        card = board(loser_app).columns[Lane.MAKING].card(order["id"])
        assert card is not None and card.barista == winner and not card.mine
        assert f"⚑ {winner}" in screen_text(loser_app)


async def test_completing_offline_reaches_the_backend_when_it_returns(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    order, _ = place_order(backend_server, "Ada", "espresso")
    app = barista_app(backend_server, "Ana", tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: " ONLINE " in screen_text(app) and lane_numbers(app, Lane.QUEUE) == [1])

        backend_server.kill()
        await wait_for(pilot, lambda: "OFFLINE since" in screen_text(app), what="the OFFLINE badge")

        await pilot.press("space")
        await wait_for(pilot, lambda: lane_numbers(app, Lane.READY) == [1], what="ready on this screen")
        await wait_for(pilot, lambda: any("#1 is ready (offline" in t for t in told(app)))
        await wait_for(pilot, lambda: "1 waiting to sync" in screen_text(app))

        backend_server.start()
        await wait_for(pilot, lambda: " ONLINE " in screen_text(app), timeout=20, what="back online")
        await wait_for(pilot, lambda: backend_order(backend_server, order["id"])["state"] == "completed")
        assert backend_order(backend_server, order["id"])["barista"] == "Ana"
        await wait_for(pilot, lambda: "waiting to sync" not in screen_text(app))


async def test_an_offline_completion_that_lost_to_the_customer_is_told(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    order, token = place_order(backend_server, "Ada", "espresso")
    proxy = await TcpProxy(backend_server.port).start()
    try:
        app = barista_app(backend_server, "Ana", tmp_path, url=proxy.url)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(
                pilot, lambda: " ONLINE " in screen_text(app) and lane_numbers(app, Lane.QUEUE) == [1]
            )
            await proxy.cut()
            await wait_for(pilot, lambda: "OFFLINE since" in screen_text(app))
            # The customer cancels from their phone; this terminal cannot know yet.
            cancel = httpx.post(
                f"{backend_server.url}/api/v1/orders/{order['id']}/cancel",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert cancel.status_code == 200
            await pilot.press("space")
            await wait_for(pilot, lambda: lane_numbers(app, Lane.READY) == [1])

            await proxy.heal()
            lost = "#1 was cancelled by the customer before you completed it"
            await wait_for(pilot, lambda: lost in told(app), timeout=20, what="the lost conflict told")
            await wait_for(pilot, lambda: lane_numbers(app, Lane.READY) == [])  # the board converged
            assert backend_order(backend_server, order["id"])["state"] == "cancelled"
            notice = next(n for n in app._notifications if n.message == lost)  # type: ignore[attr-defined]
            assert notice.timeout >= 30  # it stays long enough to be read in a rush
    finally:
        await proxy.close()


async def test_the_command_line_settings_reach_the_terminal(
    backend_server: BackendServer, tmp_path: Path
) -> None:
    """`espresso barista --server … --name Ana` with `[client] bell = false` in the config."""
    text = backend_server.config_path.read_text(encoding="utf-8").replace(
        "[client]", "[client]\nbell = false"
    )
    settings = settings_from_mapping(
        tomllib.loads(text), environ={"ESPRESSO_BARISTA_TOKEN": backend_server.barista_token}
    )
    place_order(backend_server, "Ada", "espresso")
    app = build_app(settings, server=backend_server.url, name=" Ana ", data_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: " ONLINE " in screen_text(app) and lane_numbers(app, Lane.QUEUE) == [1])
        assert app.barista == "Ana" and not app.bell_on
        assert "Bell off" in screen_text(app)
        await wait_for(pilot, lambda: app.title == "Test Espresso · barista Ana")

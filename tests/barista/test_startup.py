"""Starting the terminal: plain words when it cannot, every key described."""

from __future__ import annotations

import socket
from pathlib import Path

from barista_tui.app import BaristaApp
from barista_tui.screens.board import BoardScreen
from barista_tui.screens.cancel import CancelScreen
from barista_tui.screens.confirm import ConfirmScreen
from barista_tui.screens.find import FindScreen
from barista_tui.screens.help import HelpScreen
from barista_tui.screens.stock import StockScreen
from barista_tui.screens.timeline import TimelineScreen
from barista_tui.screens.walkup import WalkUpScreen
from core.sync.client import StoreClient


def test_every_key_has_an_id_and_a_tooltip() -> None:
    screens = (BaristaApp, BoardScreen, CancelScreen, ConfirmScreen, FindScreen, HelpScreen)
    screens += (StockScreen, TimelineScreen, WalkUpScreen)  # type: ignore[assignment]
    bindings = [b for screen in screens for b in screen.BINDINGS]
    assert bindings
    for binding in bindings:
        assert binding.id and binding.tooltip and binding.description, binding  # type: ignore[union-attr]
    ids = [b.id for b in bindings]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))


async def test_a_replica_in_use_by_another_terminal_is_said_plainly(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"

    def client() -> StoreClient:
        return StoreClient(dead, "booth", "token", actor="Ana", data_dir=tmp_path)

    first = client()
    await first.start(follow=False)
    try:
        app = BaristaApp(client(), barista="Ana")
        async with app.run_test() as pilot:
            await pilot.pause()
        assert app.return_code == 2
        assert app.return_value == 2
        assert app.startup_error is not None and "in use by another app" in app.startup_error
    finally:
        await first.stop()

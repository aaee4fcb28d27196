"""What the barista sees, pixel for pixel, at 80x24 and 160x48 (update on purpose with
`pytest --snapshot-update` after checking the pictures)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from textual.pilot import Pilot

from barista_tui.app import BaristaApp
from core.clock import FakeClock
from core.config import StoreConfig
from tests.barista.support.pilot import screen_text, wait_for
from tests.barista.support.scenes import busy_stall, offline_app


@pytest.fixture
def dead_server() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def app(store_config: StoreConfig, clock: FakeClock, tmp_path: Path, dead_server: str) -> BaristaApp:
    return offline_app(busy_stall(store_config, clock), store_config, clock, tmp_path, dead_server)


async def settled(pilot: Pilot[object]) -> None:
    """The replica shown and the link found down (the badge no longer says CONNECTING)."""
    await wait_for(
        pilot, lambda: "OFFLINE since" in screen_text(pilot.app) and "#7" in screen_text(pilot.app)
    )


def test_board_80x24(snap_compare, app: BaristaApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


def test_board_with_all_day_160x48(snap_compare, app: BaristaApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(160, 48), run_before=settled, press=["a", "j"])


def test_walk_up_80x24(snap_compare, app: BaristaApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled, press=["w", "2"])


def test_cancel_80x24(snap_compare, app: BaristaApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled, press=["x", *"out of oat"])


def test_timeline_160x48(snap_compare, app: BaristaApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(160, 48), run_before=settled, press=["l", "j", "t"])

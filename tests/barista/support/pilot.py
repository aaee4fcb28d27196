"""Helpers for driving the app with Pilot: wait on conditions, read what it shows."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

from barista_tui.board import Lane
from barista_tui.screens.board import BoardScreen


async def wait_for(
    pilot: Pilot[object], condition: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            app = pilot.app
            raise AssertionError(
                f"timed out waiting for {what or condition}; told: {told(app)}\n{screen_text(app)}"
            )
        await pilot.pause(0.02)


def told(app: App[object]) -> list[str]:
    """The notifications on screen now, oldest first."""
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def board(app: App[object]) -> BoardScreen:
    return next(s for s in app.screen_stack if isinstance(s, BoardScreen))


def lane_numbers(app: App[object], lane: Lane) -> list[int | None]:
    column = board(app).columns[lane]
    return [card.number for card in (column.card(i) for i in column.order_ids) if card is not None]


def selected_number(app: App[object]) -> int | None:
    screen = board(app)
    card = screen.columns[screen.active_lane].cursor_card
    return card.number if card is not None else None

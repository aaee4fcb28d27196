"""What the code panel shows: the QR code, or why not. Pure: no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from core.sync.feed import CodeInfo


class PanelMode(Enum):
    CODE = "code"  # the QR code: scan to order
    CLOSED = "closed"  # the store is closed
    COUNTER = "counter"  # no phone orders now (offline, refused, queue full): order at the counter
    USED_UP = "used_up"  # this code's drinks are gone; a new code comes with the next window
    WAITING = "waiting"  # the first code is on its way


@dataclass(frozen=True, slots=True)
class PanelState:
    mode: PanelMode
    code: CodeInfo | None = None
    reason: str = ""  # for COUNTER: why, in a few words


def panel_state(
    *,
    is_open: bool,
    online: bool,
    code: CodeInfo | None,
    queue_full: bool,
    fetched: bool = True,
    connecting: bool = False,
) -> PanelState:
    """`connecting`: just started, no answer from the backend yet (not offline yet)."""
    if not is_open:
        return PanelState(PanelMode.CLOSED)
    if not online and not connecting:
        return PanelState(PanelMode.COUNTER, reason="Phone orders are paused")
    if queue_full:
        return PanelState(PanelMode.COUNTER, reason="The queue is full")
    if code is None and (connecting or not fetched):
        return PanelState(PanelMode.WAITING)
    if code is None:
        return PanelState(PanelMode.COUNTER, reason="Phone orders are paused")
    if code.remaining <= 0:
        return PanelState(PanelMode.USED_UP, code)
    return PanelState(PanelMode.CODE, code)


def seconds_left(code: CodeInfo, now: datetime) -> float:
    return max(0.0, (code.expires_at - now).total_seconds())


def countdown_fraction(code: CodeInfo, now: datetime) -> float:
    """How much of the code's window is left, 1.0 (new) to 0.0 (ended)."""
    rotation = max(1, code.rotation_s)
    return min(1.0, seconds_left(code, now) / rotation)

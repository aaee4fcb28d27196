"""The left of the booth screen: the QR code to order with, or what to do instead."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical

from kiosk.code_layout import CodePlan
from kiosk.panel_state import PanelMode, PanelState, countdown_fraction, seconds_left
from kiosk.qr import QrMatrix
from kiosk.widgets.countdown import CountdownBar
from kiosk.widgets.qr_code import QrCode
from kiosk.widgets.shown_text import ShownText

_MODE_CLASSES = {mode: f"-{mode.value.replace('_', '-')}" for mode in PanelMode}
_COUNTING_DOWN = frozenset({PanelMode.CODE, PanelMode.USED_UP})


def fold(text: str, width: int) -> str:
    """A URL broken into lines of `width` characters (it has no spaces to wrap at)."""
    width = max(1, width)
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def minutes_seconds(seconds: float) -> str:
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"


def drinks_left(remaining: int) -> str:
    return "1 drink left on this code" if remaining == 1 else f"{remaining} drinks left on this code"


def notice(state: PanelState, now: datetime) -> tuple[str, str]:
    """(title, detail) shown instead of the code."""
    if state.mode is PanelMode.CLOSED:
        return "Closed", "Thank you, see you next time"
    if state.mode is PanelMode.COUNTER:
        return "Order at the counter", state.reason
    if state.mode is PanelMode.WAITING:
        return "One moment…", "Getting the code to order with"
    if state.mode is PanelMode.USED_UP and state.code is not None:
        return "This code is used up", f"A new code in {minutes_seconds(seconds_left(state.code, now))}"
    return "", ""


class CodePanel(Vertical):
    def compose(self) -> ComposeResult:
        with Vertical(id="code-view"):
            yield QrCode(id="qr")
            yield ShownText(id="code-url")
            yield ShownText(id="drinks-left", fixed_size=True)
        with Vertical(id="notice-view"):
            yield ShownText(id="notice-title")
            yield ShownText(id="notice-detail")
        yield CountdownBar(id="countdown")

    def show(
        self,
        state: PanelState,
        matrix: QrMatrix | None,
        plan: CodePlan,
        now: datetime,
        full_width: bool = False,
    ) -> None:
        showing_code = state.mode is PanelMode.CODE and matrix is not None and state.code is not None
        wanted = {css_class: mode is state.mode for mode, css_class in _MODE_CLASSES.items()}
        wanted |= {
            "-notice": not showing_code,
            "-no-countdown": state.mode not in _COUNTING_DOWN,
            "-no-url": plan.url_rows == 0,
        }
        self._set_classes(wanted)
        self.styles.width = "1fr" if full_width else plan.panel_width
        qr = self.query_one(QrCode)
        if showing_code and matrix is not None and state.code is not None:
            qr.show(matrix, plan.scale, plan.quiet)
            self.query_one("#code-url", ShownText).show(fold(state.code.url, plan.text_width))
            self.query_one("#drinks-left", ShownText).show(drinks_left(state.code.remaining))
        else:
            qr.clear()
        self.tick(state, now)

    def _set_classes(self, wanted: dict[str, bool]) -> None:
        """Classes on or off with one restyle of the panel, not one per class that changes
        (each restyles the whole panel at once: ~10 ms on the kiosk's first screen)."""
        changed = [name for name, on in wanted.items() if self.has_class(name) != on]
        for name in changed:
            self.set_class(wanted[name], name, update=False)
        if changed:
            self.update_node_styles()

    def tick(self, state: PanelState, now: datetime) -> None:
        """Move the countdown on (called every second)."""
        self.query_one(CountdownBar).fraction = countdown_fraction(state.code, now) if state.code else 0.0
        title, detail = notice(state, now)
        self.query_one("#notice-title", ShownText).show(title)
        self.query_one("#notice-detail", ShownText).show(detail)

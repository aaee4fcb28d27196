"""Find an order by its number: type it, Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class FindScreen(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="find.close", tooltip="Back to the board"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-small"):
            yield Static("Find order number", classes="dialog-title")
            yield Input(placeholder="e.g. 42", restrict=r"#?[0-9]{0,6}", id="number")

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    @on(Input.Submitted, "#number")
    def _submitted(self, event: Input.Submitted) -> None:
        digits = event.value.lstrip("#")
        self.dismiss(int(digits) if digits else None)

    def action_close(self) -> None:
        self.dismiss(None)

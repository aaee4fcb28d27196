"""Help: every key of the board, what it does, in a few words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Back to the board"),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__(classes="dialog-screen")
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static("Keys (the mouse works too: click a card, click buttons)", classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", show_header=False)

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("Key", "Action", "What it does")
        for binding in self.bindings:
            keys = binding.key_display or ", ".join(
                self.app.get_key_display(Binding(key, "")) for key in binding.key.split(",")
            )
            table.add_row(Text(keys, style="bold"), Text(binding.description), Text(binding.tooltip))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

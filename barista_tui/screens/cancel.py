"""Cancel an order: ask for a reason (optional), then Enter cancels and Escape keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Static

from barista_tui.board import Card

QUICK_REASONS = ["customer left", "out of stock", "made by mistake", "duplicate order", "asked to cancel"]


@dataclass(frozen=True, slots=True)
class CancelDecision:
    reason: str | None


class CancelScreen(ModalScreen[CancelDecision | None]):
    BINDINGS = [
        Binding("escape", "keep", "Keep it", id="cancel.keep", tooltip="Do not cancel; back to the board"),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__(classes="dialog-screen")
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        title = Content.assemble("Cancel ", (card.label, "bold"), " for ", card.name, "?")
        drink = card.drink + (f" · {card.options}" if card.options else "")
        with Vertical(classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(Content(drink), classes="dialog-detail")
            yield Input(
                placeholder="Reason (optional), e.g. out of stock",
                suggester=SuggestFromList(QUICK_REASONS, case_sensitive=False),
                max_length=200,
                id="reason",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel order (Enter)", id="cancel-order", variant="error")
                yield Button("Keep it (Esc)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#cancel-order")
    def _confirm(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        self.dismiss(CancelDecision(reason or None))

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        self.dismiss(None)

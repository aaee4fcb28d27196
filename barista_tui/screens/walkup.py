"""A walk-up order in a few keys: the drink, each option, the name, Enter.

Each step is a numbered list: a digit picks at once, arrows and Enter work too, and a click.
Escape steps back. What has run out is shown and cannot be picked.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from barista_tui.wording import Kind, Request
from core.menu import Menu, MenuItem

DEFAULT_NAME = "Walk-up"


class WalkUpScreen(ModalScreen[Request | None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="walkup.back", tooltip="One step back; from the first, close"),
    ]

    def __init__(self, menu: Menu) -> None:
        super().__init__(classes="dialog-screen")
        self.menu = menu
        self.item: MenuItem | None = None
        self.choices: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Walk-up order", classes="dialog-title")
            yield Static("", id="walkup-summary", classes="dialog-detail")
            yield Static("", id="walkup-prompt")
            yield OptionList(id="walkup-list")
            yield Input(placeholder=f"Customer name (Enter: {DEFAULT_NAME})", max_length=40, id="walkup-name")
            yield Static("1-9 picks · arrows and Enter · Esc goes back", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_step()

    # -- the steps ---------------------------------------------------------------------

    @property
    def step_option(self) -> int | None:
        """Index of the option being chosen; None on the drink step or the name step."""
        if self.item is None:
            return None
        for index, option in enumerate(self.item.options):
            if option.id not in self.choices:
                return index
        return None

    @property
    def on_name_step(self) -> bool:
        return self.item is not None and self.step_option is None

    def _show_step(self) -> None:
        listing = self.query_one("#walkup-list", OptionList)
        name = self.query_one("#walkup-name", Input)
        summary = self.query_one("#walkup-summary", Static)
        prompt = self.query_one("#walkup-prompt", Static)
        summary.update(Content(self._summary()))
        if self.item is None:
            prompt.update("Drink:")
            listing.set_options(
                _numbered(i, item.name, item.available, item.id) for i, item in enumerate(self.menu.items)
            )
            _highlight_first_enabled(listing)
        elif (index := self.step_option) is not None:
            option = self.item.options[index]
            prompt.update(Content(f"{option.name}:"))
            listing.set_options(
                _numbered(i, choice, option.is_available(choice), choice)
                for i, choice in enumerate(option.choices)
            )
            default = option.choices.index(option.default)
            listing.highlighted = default if option.is_available(option.default) else None
            if listing.highlighted is None:
                _highlight_first_enabled(listing)
        listing.display = not self.on_name_step
        name.display = self.on_name_step
        (name if self.on_name_step else listing).focus()

    def _summary(self) -> str:
        if self.item is None:
            return "Pick the drink (number or arrows, Enter)"
        return " · ".join([self.item.name, *self.choices.values()])

    def _pick(self, option_id: str) -> None:
        if self.item is None:
            self.item = self.menu.item(option_id)
        elif (index := self.step_option) is not None:
            self.choices[self.item.options[index].id] = option_id
        self._show_step()

    @on(OptionList.OptionSelected, "#walkup-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._pick(event.option.id)

    def on_key(self, event: Key) -> None:
        if self.on_name_step or event.character is None or not event.character.isdigit():
            return
        listing = self.query_one("#walkup-list", OptionList)
        index = int(event.character) - 1
        if 0 <= index < listing.option_count:
            option = listing.get_option_at_index(index)
            if not option.disabled and option.id is not None:
                event.stop()
                self._pick(option.id)

    @on(Input.Submitted, "#walkup-name")
    def _place(self, event: Input.Submitted) -> None:
        assert self.item is not None
        name = event.value.strip() or DEFAULT_NAME
        label = self._summary()
        self.dismiss(
            Request(
                Kind.WALK_UP,
                customer_name=name,
                item=self.item.id,
                options=tuple(self.choices.items()),
                label=label,
            )
        )

    def action_back(self) -> None:
        if self.item is None:
            self.dismiss(None)
            return
        if self.choices:
            self.choices.popitem()
        else:
            self.item = None
        self._show_step()


def _numbered(index: int, text: str, available: bool, option_id: str) -> Option:
    key = str(index + 1) if index < 9 else " "
    prompt = Content.assemble((key, "bold"), "  ", text, ("  (run out)" if not available else ""))
    return Option(prompt, id=option_id, disabled=not available)


def _highlight_first_enabled(listing: OptionList) -> None:
    for index in range(listing.option_count):
        if not listing.get_option_at_index(index).disabled:
            listing.highlighted = index
            return

"""Stock: mark a drink, or an option choice (oat milk), as run out and back again.

Enter (or a click, or its number) toggles the highlighted line; the list follows the menu as
the feed reports it, so another terminal's change shows here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from barista_tui.bridge import FeedBridge
from barista_tui.messages import CommandFinished, StoreChanged
from barista_tui.screens.commanding import start_command, tell_crashed, tell_finished
from barista_tui.wording import Kind, Request
from core.menu import Menu
from core.sync.feed import StoreFeed


@dataclass(frozen=True, slots=True)
class StockLine:
    """One thing that can run out: an item, or a choice of an option (in every item)."""

    key: str
    label: str
    available: bool
    item: str = ""
    option: str = ""
    choice: str = ""

    def request(self) -> Request:
        flip = not self.available
        if self.item:
            return Request(Kind.ITEM_STOCK, item=self.item, available=flip, label=self.label)
        return Request(
            Kind.CHOICE_STOCK, option=self.option, choice=self.choice, available=flip, label=self.label
        )


def stock_lines(menu: Menu) -> list[StockLine]:
    lines = [StockLine(f"item:{item.id}", item.name, item.available, item=item.id) for item in menu.items]
    seen: dict[tuple[str, str], StockLine] = {}
    for item in menu.items:
        for option in item.options:
            for choice in option.choices:
                key = (option.id, choice.casefold())
                available = option.is_available(choice)
                if key in seen:
                    # Offered by several drinks: out if it is out anywhere.
                    if not available and seen[key].available:
                        seen[key] = StockLine(
                            seen[key].key, seen[key].label, False, option=option.id, choice=choice
                        )
                    continue
                label = f"{option.name}: {choice}"
                seen[key] = StockLine(
                    f"choice:{option.id}:{choice}", label, available, option=option.id, choice=choice
                )
    return lines + list(seen.values())


class StockScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,s", "close", "Close", id="stock.close", tooltip="Back to the board"),
    ]

    def __init__(self, feed: StoreFeed) -> None:
        super().__init__(classes="dialog-screen")
        self.feed = feed
        self.bridge = FeedBridge(feed, self)
        self.lines: list[StockLine] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Stock: Enter marks run out / back", classes="dialog-title")
            yield OptionList(id="stock-list")

    def on_mount(self) -> None:
        self.bridge.attach()
        self._show()
        self.query_one("#stock-list", OptionList).focus()

    def on_unmount(self) -> None:
        self.bridge.detach()

    def _show(self) -> None:
        listing = self.query_one("#stock-list", OptionList)
        keep = listing.highlighted or 0
        self.lines = stock_lines(self.feed.projection.menu)
        listing.set_options(_render(i, line) for i, line in enumerate(self.lines))
        listing.highlighted = min(keep, len(self.lines) - 1) if self.lines else None

    def on_store_changed(self, message: StoreChanged) -> None:
        self._show()

    @on(OptionList.OptionSelected, "#stock-list")
    def _toggle(self, event: OptionList.OptionSelected) -> None:
        start_command(self, self.feed, self.lines[event.option_index].request())

    def on_key(self, event: Key) -> None:
        if event.character is not None and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.lines):
                event.stop()
                self.query_one("#stock-list", OptionList).highlighted = index
                start_command(self, self.feed, self.lines[index].request())

    def on_command_finished(self, message: CommandFinished) -> None:
        tell_finished(self, self.feed, message)
        self._show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        tell_crashed(self, event)

    def action_close(self) -> None:
        self.dismiss(None)


def _render(index: int, line: StockLine) -> Option:
    key = str(index + 1) if index < 9 else " "
    state = ("available", "dim") if line.available else ("RUN OUT", "bold reverse")
    prompt = Content.assemble((key, "bold"), "  ", line.label.ljust(22), "  ", state)
    return Option(prompt, id=line.key)

"""The queue board: who is being made, which numbers are ready, how long the queue is."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Digits, Static

from kiosk.board_view import BoardView, MakingEntry
from kiosk.ready import ReadyEntry
from kiosk.wait_estimate import describe_wait
from kiosk.widgets.header import StoreHeader
from kiosk.widgets.shown_text import ShownText

NAME_WIDTH = 12  # first names are cut here so the columns stay aligned
MAKING_CELL = 20  # columns per "#123 Name" entry
READY_CELL = 13  # columns per ready number: three digits of 3, padding and a gap
READY_ROW = 4  # rows per ready number: 3 for the digits and a gap


class MakingList(Widget):
    """Numbers and first names, in as many columns as fit; "+N more" when they do not."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[MakingEntry, ...] = ()

    def show(self, entries: Sequence[MakingEntry]) -> None:
        if tuple(entries) != self._entries:
            self._entries = tuple(entries)
            self.refresh()

    def render(self) -> Text:
        if not self._entries:
            return Text("No drinks being made", style="italic")
        columns = max(1, self.size.width // MAKING_CELL)
        capacity = columns * max(1, self.size.height)
        shown = list(self._entries)
        if len(shown) > capacity:
            shown = shown[: capacity - 1]
        cells = [self._cell(e) for e in shown]
        if len(shown) < len(self._entries):
            cells.append(Text(f"+{len(self._entries) - len(shown)} more", style="italic"))
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        return Text("\n").join(Text("").join(self._pad(c) for c in row) for row in rows)

    @staticmethod
    def _cell(entry: MakingEntry) -> Text:
        name = entry.name if len(entry.name) <= NAME_WIDTH else entry.name[: NAME_WIDTH - 1] + "…"
        return Text.assemble((f"#{entry.number:<4}", "bold"), name)  # the name stays plain text

    @staticmethod
    def _pad(cell: Text) -> Text:
        cell.pad_right(MAKING_CELL - cell.cell_len)
        return cell


class ReadyNumber(Digits):
    """One ready order's number, big."""


class ReadyBoard(Grid):
    """Ready numbers, newest first, as many as fit; new arrivals highlighted."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[ReadyEntry, ...] = ()
        self._numbers: list[ReadyNumber] = []

    def on_resize(self, event: Resize) -> None:
        self.styles.grid_size_columns = max(1, event.size.width // READY_CELL)
        self.show(self._entries, force=True)

    def capacity(self) -> int:
        columns = max(1, self.size.width // READY_CELL)
        return columns * max(1, self.size.height // READY_ROW)

    def show(self, entries: Sequence[ReadyEntry], force: bool = False) -> None:
        entries = tuple(entries)
        if entries == self._entries and not force:
            return
        self._entries = entries
        shown = entries[: self.capacity()]
        if [n.value for n in self._numbers] != [str(e.number) for e in shown]:
            self.remove_children()
            self._numbers = [ReadyNumber(str(e.number)) for e in shown]
            self.mount_all(self._numbers)
        for widget, entry in zip(self._numbers, shown, strict=True):
            widget.set_class(entry.highlighted, "-new")


class QueueBoard(Vertical):
    def compose(self) -> ComposeResult:
        yield StoreHeader(id="header")
        yield Static("Making now", classes="section-title")
        yield MakingList(id="making")
        yield Static("Ready for pickup", classes="section-title")
        yield ReadyBoard(id="ready")
        yield ShownText(id="queue-summary")

    def show(self, view: BoardView) -> None:
        self.query_one(MakingList).show(view.making)
        self.query_one(ReadyBoard).show(view.ready)
        self.query_one("#queue-summary", ShownText).show(summary(view))


def summary(view: BoardView) -> str:
    """ "3 orders waiting · wait about 8 min"; "No queue" when nobody waits for a barista."""
    if view.waiting == 0:
        waiting = "No queue"
    else:
        waiting = "1 order waiting" if view.waiting == 1 else f"{view.waiting} orders waiting"
    wait = describe_wait(view.wait_s)
    return f"{waiting} · wait {wait}" if wait else waiting

"""The board screen: every action one key; commands in workers, reported in plain words.

What is drawn and how it follows the feed is `LanesScreen` (lanes.py). The dialogs are
imported when first opened: ~12 ms of CPU off the terminal's start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.worker import Worker

from barista_tui.board import drink_label
from barista_tui.messages import CommandFinished
from barista_tui.screens.commanding import start_command, tell_crashed, tell_finished
from barista_tui.screens.lanes import LanesScreen
from barista_tui.widgets.all_day_panel import AllDayPanel
from barista_tui.wording import Kind, Request
from core.orders import OrderState

if TYPE_CHECKING:
    from barista_tui.screens.cancel import CancelDecision

MOVE = Binding.Group("Move", compact=True)


class BoardScreen(LanesScreen):
    BINDINGS = [
        Binding("up,k", "move(0,-1)", "Up", id="board.up", tooltip="Select the order above", group=MOVE),
        Binding("down,j", "move(0,1)", "Down", id="board.down", tooltip="Select the order below", group=MOVE),
        Binding(
            "left,h", "move(-1,0)", "Left", id="board.left", tooltip="Go to the lane on the left", group=MOVE
        ),
        Binding(
            "right,l",
            "move(1,0)",
            "Right",
            id="board.right",
            tooltip="Go to the lane on the right",
            group=MOVE,
        ),
        Binding("enter", "claim", "Claim", id="board.claim", tooltip="Claim the order: you are making it"),
        Binding("space", "complete", "Done", id="board.complete", tooltip="Complete the order: it is ready"),
        Binding("x", "cancel", "Cancel", id="board.cancel", tooltip="Cancel the order (asks for a reason)"),
        Binding("w", "walk_up", "Walk-up", id="board.walkup", tooltip="Take an order at the counter"),
        Binding("question_mark", "help", "Help", id="board.help", tooltip="Every key and what it does"),
        Binding("u", "unclaim", "Unclaim", id="board.unclaim", tooltip="Put the order back in the queue"),
        Binding("slash,f", "find", "Find", id="board.find", tooltip="Find an order by its number"),
        Binding("t", "timeline", "Timeline", id="board.timeline", tooltip="Every event of the order"),
        Binding("a", "all_day", "All day", id="board.allday", tooltip="Show or hide the drinks waiting"),
        Binding("s", "stock", "Stock", id="board.stock", tooltip="Mark a drink or a milk as run out"),
        Binding("o", "toggle_store", "Open/close", id="board.store", tooltip="Open or close the store"),
        Binding("b", "bell", "Bell", id="board.bell", tooltip="Turn the new-order bell on or off"),
    ]

    # -- commands ------------------------------------------------------------------------

    def selected_order(self) -> OrderState | None:
        card = self.columns[self.active_lane].cursor_card
        order = self.feed.projection.order(card.order_id) if card is not None else None
        if order is None:
            self.notify("No order selected", timeout=2)
        return order

    def _order_command(self, kind: Kind) -> None:
        if (order := self.selected_order()) is not None:
            self.run_request(Request(kind, order_id=order.id, number=order.number))

    def run_request(self, request: Request) -> None:
        start_command(self, self.feed, request)

    def action_claim(self) -> None:
        self._order_command(Kind.CLAIM)

    def action_unclaim(self) -> None:
        self._order_command(Kind.UNCLAIM)

    def action_complete(self) -> None:
        self._order_command(Kind.COMPLETE)

    def action_cancel(self) -> None:
        card = self.columns[self.active_lane].cursor_card
        if card is None or self.selected_order() is None:
            return
        number = card.number
        from barista_tui.screens.cancel import CancelScreen

        def decided(decision: CancelDecision | None) -> None:
            if decision is not None:
                self.run_request(Request(Kind.CANCEL, card.order_id, number, reason=decision.reason))

        self.app.push_screen(CancelScreen(card), decided)

    def action_walk_up(self) -> None:
        from barista_tui.screens.walkup import WalkUpScreen

        def placed(request: Request | None) -> None:
            if request is not None:
                self.run_request(request)

        self.app.push_screen(WalkUpScreen(self.feed.projection.menu), placed)

    def action_toggle_store(self) -> None:
        from barista_tui.screens.confirm import ConfirmScreen

        is_open = self.feed.projection.is_open
        question = "Close the store?" if is_open else "Open the store?"
        detail = "New orders stop; the open ones carry on." if is_open else "Customers can order again."
        kind = Kind.CLOSE if is_open else Kind.OPEN

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_request(Request(kind))

        self.app.push_screen(ConfirmScreen(question, detail, "Close" if is_open else "Open"), answered)

    def action_stock(self) -> None:
        from barista_tui.screens.stock import StockScreen

        self.app.push_screen(StockScreen(self.feed))

    def on_command_finished(self, message: CommandFinished) -> None:
        tell_finished(self, self.feed, message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        tell_crashed(self, event)

    # -- looking -------------------------------------------------------------------------

    def action_find(self) -> None:
        from barista_tui.screens.find import FindScreen

        self.app.push_screen(FindScreen(), self.find)

    def find(self, number: int | None) -> None:
        if number is None:
            return
        found = [o for o in self.feed.projection.orders() if o.number == number]
        if not found:
            self.notify(f"No order #{number} here", severity="warning", timeout=4)
            return
        order = max(found, key=lambda o: o.placed_at or o.created_at or self.clock.now())
        lane = self._lane_of.get(order.id)
        if lane is None:
            why = f" ({order.reason})" if order.reason else ""
            self.notify(f"#{number} is {order.status}{why}: not on the board", timeout=6, markup=False)
            return
        self.activate(lane)
        self.columns[lane].select(order.id)

    def action_timeline(self) -> None:
        if (order := self.selected_order()) is None:
            return
        from barista_tui.screens.timeline import TimelineScreen

        label = drink_label(self.feed.projection.menu, order.item, order.options)
        title = Content.assemble(
            (f"#{order.number}", "bold"), " ", order.customer_name, f" · {label} · {order.status}"
        )
        self.app.push_screen(TimelineScreen(self.feed, order.id, title, self.zone))

    def action_all_day(self) -> None:
        panel = self.query_one(AllDayPanel)
        panel.display = not panel.display
        self.refresh_panels(stats=False)

    def action_bell(self) -> None:
        self.bell_on = not self.bell_on
        self.notify("Bell on: it rings for each new order" if self.bell_on else "Bell off", timeout=2)
        self.refresh_panels(stats=False)

    def action_help(self) -> None:
        from barista_tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen([*self.BINDINGS, *self.app.BINDINGS]))  # type: ignore[list-item]

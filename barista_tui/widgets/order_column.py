"""One lane of the board (Queue, Making, Ready): order cards drawn line by line.

The column keeps its cards sorted and draws only the lines on screen, each card from a
cache keyed by what it shows; so one changed order costs one card, however long the lane.
It holds its own cursor; the screen decides which column is active. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from barista_tui.board import AgeBand, Card, Lane, age_band, format_age
from barista_tui.lane_cards import LaneCards
from barista_tui.widgets.card_painter import CardPainter

CARD_LINES = 3
CARD_HEIGHT = CARD_LINES + 1  # a blank line between cards


@dataclass(frozen=True, slots=True)
class AgeRules:
    warning_s: float = 120
    late_s: float = 300


class OrderColumn(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {
        "order-column--card",
        "order-column--cursor",
        "order-column--number",
        "order-column--drink",
        "order-column--calm",
        "order-column--warning",
        "order-column--late",
        "order-column--late-age",
        "order-column--ready",
        "order-column--other",
        "order-column--mine",
        "order-column--empty",
    }

    @dataclass
    class CardClicked(Message):
        column: OrderColumn
        order_id: str

        @property
        def control(self) -> OrderColumn:
            return self.column

    def __init__(self, lane: Lane, title: str, empty_text: str, *, rules: AgeRules, now: datetime) -> None:
        super().__init__(id=f"lane-{lane}", classes="order-column")
        self.lane = lane
        self.title = title
        self.empty_text = empty_text
        self.rules = rules
        self.now = now
        self.active = False
        self.cards = LaneCards()
        self.painter = CardPainter(self.get_visual_style)
        self._drawn: dict[str, tuple[tuple[Card, int, bool, str, AgeBand], list[Strip]]] = {}
        self._width = 0
        self._blank = Strip.blank(0)
        self.border_title = title

    # -- the cards (kept by LaneCards; here the screen is told and redrawn) ----------------

    def __len__(self) -> int:
        return len(self.cards)

    @property
    def order_ids(self) -> list[str]:
        return list(self.cards.ids)

    def card(self, order_id: str) -> Card | None:
        return self.cards.card(order_id)

    @property
    def cursor_card(self) -> Card | None:
        return self.cards.cursor_card

    def put(self, card: Card) -> None:
        if self.cards.put(card):
            self._changed()

    def drop(self, order_id: str) -> None:
        if self.cards.drop(order_id):
            self._drawn.pop(order_id, None)
            self._changed()

    def replace_all(self, cards: list[Card]) -> None:
        self.cards.replace_all(cards)
        self._drawn.clear()
        self._changed()

    def set_now(self, now: datetime) -> None:
        """The clock moved on (once a second): repaint what it changed on screen, a card's
        top line (its age) or, when its age band changes, the card (its bar's colour).
        Repainting every visible line was most of a tick's CPU, and a tick that shares the
        frame of an event adds it to the event."""
        self.now = now
        width, ids = self._width, self.cards.ids
        if not width:  # not drawn yet
            self.refresh()
            return
        top = int(self.scroll_offset.y)
        last = min(len(ids), (top + self.size.height) // CARD_HEIGHT + 1)
        for index in range(top // CARD_HEIGHT, last):
            drawn = self._drawn.get(ids[index])
            key = self._card_key(ids[index], width)
            if drawn is not None and drawn[0] == key:
                continue
            same_band = drawn is not None and drawn[0][4] == key[4]
            self.refresh_lines(index * CARD_HEIGHT, 1 if same_band else CARD_LINES)

    def set_active(self, active: bool) -> None:
        self.active = active
        self.set_class(active, "-active")
        self.refresh()

    def move_cursor(self, delta: int) -> None:
        self.cards.move_cursor(delta)
        self._cursor_moved()

    def select_index(self, index: int) -> None:
        self.cards.select_index(index)
        self._cursor_moved()

    def select(self, order_id: str) -> bool:
        index = self.cards.index_of(order_id)
        if index is not None:
            self.select_index(index)
        return index is not None

    def _cursor_moved(self) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def row_on_screen(self) -> int:
        """Where the cursor card sits in the visible area, in cards (for moving across)."""
        index = self.cards.cursor_index
        return 0 if index is None else index - int(self.scroll_offset.y) // CARD_HEIGHT

    def index_at_row(self, row: int) -> int:
        return int(self.scroll_offset.y) // CARD_HEIGHT + max(0, row)

    def scroll_to_cursor(self) -> None:
        index = self.cards.cursor_index
        if index is not None:
            region = Region(0, index * CARD_HEIGHT, 1, CARD_HEIGHT)
            self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def _changed(self) -> None:
        count = len(self.cards)
        self.border_title = f"{self.title} {count}" if count else self.title
        self._resize_content(count * CARD_HEIGHT)
        if self.active:
            self.scroll_to_cursor()
        self.refresh()

    def _resize_content(self, height: int) -> None:
        """A card more or fewer: the scrollbar follows and the column repaints; nothing else
        on screen moves. Setting `virtual_size` would lay the whole screen out again (it is a
        layout reactive) and draw a second frame: about a fifth of an event's CPU with 500
        orders. `_scroll_update` (Textual is pinned) sizes the scrollbar, and asks for a
        layout itself when the scrollbar comes or goes."""
        size = Size(self.scrollable_content_region.width, height)
        if size == self.virtual_size:
            return
        before = self.virtual_size.height
        self.set_reactive(OrderColumn.virtual_size, size)
        if self._same_scrollbar(before, height):
            # The scrollbar learns the new height without repainting the same picture:
            # with hundreds of cards one more or fewer seldom moves the thumb by an eighth
            # of a cell, and repainting the bar's every line was half the lines of an
            # event's frame.
            self.vertical_scrollbar.set_reactive(ScrollBar.window_virtual_size, height)
        else:
            self._scroll_update(size)

    def _same_scrollbar(self, before: int, after: int) -> bool:
        """Whether the vertical scrollbar, shown before and after, looks the same for both
        content heights (drawn by Textual's own `render_bar`) with the scroll where it is."""
        bar = self.vertical_scrollbar if self.show_vertical_scrollbar else None
        window = self.scrollable_content_region.height
        if bar is None or min(before, after) <= window or self.scroll_y > after - window:
            return False  # the bar comes or goes, or the scroll moves: Textual's own update

        def drawn(height: int) -> list[Segment]:
            return ScrollBarRender.render_bar(
                size=bar.size.height,
                virtual_size=height,
                window_size=bar.window_size,
                position=bar.position,
                thickness=bar.thickness,
            ).segments

        return drawn(before) == drawn(after)

    # -- drawing ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.cards) * CARD_HEIGHT)

    def notify_style_update(self) -> None:
        self._drawn.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per repaint rather than once per line: they cost more than a line.
        self._width = self.scrollable_content_region.width
        self._blank = Strip.blank(self._width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        line = int(self.scroll_offset.y) + y
        index, offset = divmod(line, CARD_HEIGHT)
        ids = self.cards.ids
        if not ids:
            return self.painter.empty(self.empty_text, width) if y == 1 else self._blank
        if index >= len(ids) or offset >= CARD_LINES:
            return self._blank
        return self._card_strips(ids[index], width)[offset]

    def _card_key(self, order_id: str, width: int) -> tuple[Card, int, bool, str, AgeBand]:
        """What a card shows: (card, width, cursor on it, age, age band)."""
        card = self.cards.card(order_id)
        assert card is not None
        age_s = (self.now - card.since).total_seconds()
        band = (
            AgeBand.CALM
            if card.lane is Lane.READY
            else age_band(age_s, self.rules.warning_s, self.rules.late_s)
        )
        return (card, width, self.active and order_id == self.cards.cursor_id, format_age(age_s), band)

    def _card_strips(self, order_id: str, width: int) -> list[Strip]:
        key = self._card_key(order_id, width)
        drawn = self._drawn.get(order_id)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        strips = self.painter.paint(*key)
        self._drawn[order_id] = (key, strips)
        return strips

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_offset.y) + offset.y) // CARD_HEIGHT
        if 0 <= index < len(self.cards):
            self.post_message(self.CardClicked(self, self.cards.ids[index]))

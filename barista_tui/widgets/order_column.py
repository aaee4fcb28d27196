"""One lane of the board (Queue, Making, Ready): order cards drawn line by line.

The column keeps its cards sorted and draws only the lines on screen, each card from a
cache keyed by what it shows; so one changed order costs one card, however long the lane.
It holds its own cursor; the screen decides which column is active. No I/O here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from barista_tui.board import AgeBand, Card, Lane, age_band, format_age

CARD_LINES = 3
CARD_HEIGHT = CARD_LINES + 1  # a blank line between cards
BAR = "▌"


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
        self.cursor_id: str | None = None
        self._cursor_index = 0
        self._cards: dict[str, Card] = {}
        self._keys: list[tuple[float, int, str]] = []  # sorted; parallel to _ids
        self._ids: list[str] = []
        self._drawn: dict[str, tuple[object, list[Strip]]] = {}
        self._width = 0
        self._blank = Strip.blank(0)
        self.border_title = title

    # -- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._cards

    @property
    def order_ids(self) -> list[str]:
        return list(self._ids)

    def card(self, order_id: str) -> Card | None:
        return self._cards.get(order_id)

    def index_of(self, order_id: str) -> int | None:
        card = self._cards.get(order_id)
        return None if card is None else bisect_left(self._keys, card.sort_key)

    @property
    def cursor_index(self) -> int | None:
        return None if self.cursor_id is None else self.index_of(self.cursor_id)

    @property
    def cursor_card(self) -> Card | None:
        return None if self.cursor_id is None else self._cards.get(self.cursor_id)

    # -- changing ---------------------------------------------------------------------

    def put(self, card: Card) -> None:
        """Add or update one card (moving it if its place changed)."""
        old = self._cards.get(card.order_id)
        if old == card:
            return
        if old is not None and old.sort_key != card.sort_key:
            index = bisect_left(self._keys, old.sort_key)
            del self._keys[index], self._ids[index]
            old = None
        self._cards[card.order_id] = card
        if old is None:
            index = bisect_left(self._keys, card.sort_key)
            self._keys.insert(index, card.sort_key)
            self._ids.insert(index, card.order_id)
        if self.cursor_id is None:
            self.cursor_id = self._ids[min(self._cursor_index, len(self._ids) - 1)]
        self._changed()

    def drop(self, order_id: str) -> None:
        card = self._cards.pop(order_id, None)
        if card is None:
            return
        index = bisect_left(self._keys, card.sort_key)
        del self._keys[index], self._ids[index]
        self._drawn.pop(order_id, None)
        if self.cursor_id == order_id:
            # The card that takes its place gets the cursor: the next one in line.
            self._cursor_index = index
            self.cursor_id = self._ids[min(index, len(self._ids) - 1)] if self._ids else None
        self._changed()

    def replace_all(self, cards: list[Card]) -> None:
        self._cards = {card.order_id: card for card in cards}
        ordered = sorted(cards, key=lambda card: card.sort_key)
        self._keys = [card.sort_key for card in ordered]
        self._ids = [card.order_id for card in ordered]
        self._drawn.clear()
        if self.cursor_id not in self._cards:
            self.cursor_id = self._ids[min(self._cursor_index, len(self._ids) - 1)] if self._ids else None
        self._changed()

    def set_now(self, now: datetime) -> None:
        self.now = now
        self.refresh()

    def set_active(self, active: bool) -> None:
        self.active = active
        self.set_class(active, "-active")
        self.refresh()

    def move_cursor(self, delta: int) -> None:
        if not self._ids:
            return
        current = self.cursor_index
        index = 0 if current is None else max(0, min(len(self._ids) - 1, current + delta))
        self.select_index(index)

    def select_index(self, index: int) -> None:
        if not self._ids:
            self.cursor_id = None
            return
        index = max(0, min(len(self._ids) - 1, index))
        self.cursor_id = self._ids[index]
        self._cursor_index = index
        self.scroll_to_cursor()
        self.refresh()

    def select(self, order_id: str) -> bool:
        index = self.index_of(order_id)
        if index is None:
            return False
        self.select_index(index)
        return True

    def row_on_screen(self) -> int:
        """Where the cursor card sits in the visible area, in cards (for moving across)."""
        index = self.cursor_index
        return 0 if index is None else index - int(self.scroll_offset.y) // CARD_HEIGHT

    def index_at_row(self, row: int) -> int:
        return int(self.scroll_offset.y) // CARD_HEIGHT + max(0, row)

    def scroll_to_cursor(self) -> None:
        index = self.cursor_index
        if index is not None:
            region = Region(0, index * CARD_HEIGHT, 1, CARD_HEIGHT)
            self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def _changed(self) -> None:
        self.border_title = f"{self.title} {len(self._ids)}" if self._ids else self.title
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._ids) * CARD_HEIGHT)
        if self.cursor_id is not None:
            self._cursor_index = self.cursor_index or 0
            if self.active:
                self.scroll_to_cursor()
        self.refresh()

    # -- drawing ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._ids) * CARD_HEIGHT)

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
        if not self._ids:
            return self._empty_line(y, width) if y == 1 else self._blank
        if index >= len(self._ids) or offset >= CARD_LINES:
            return self._blank
        return self._card_strips(self._ids[index], width)[offset]

    def _empty_line(self, y: int, width: int) -> Strip:
        style = self.get_visual_style("order-column--empty")
        text = Content(self.empty_text)
        content = text.pad_left(max(0, (width - text.cell_length) // 2)).truncate(width, pad=True)
        return Strip(content.render_segments(style), width)

    def _card_strips(self, order_id: str, width: int) -> list[Strip]:
        card = self._cards[order_id]
        age_s = (self.now - card.since).total_seconds()
        band = (
            AgeBand.CALM
            if card.lane is Lane.READY
            else age_band(age_s, self.rules.warning_s, self.rules.late_s)
        )
        cursor = self.active and order_id == self.cursor_id
        key = (card, width, cursor, format_age(age_s), band)
        drawn = self._drawn.get(order_id)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        strips = self._draw(card, width, cursor, format_age(age_s), band)
        self._drawn[order_id] = (key, strips)
        return strips

    def _draw(self, card: Card, width: int, cursor: bool, age: str, band: AgeBand) -> list[Strip]:
        names = ("order-column--card", "order-column--cursor") if cursor else ("order-column--card",)
        base = self.get_visual_style(*names)
        mark_class = "order-column--ready" if card.lane is Lane.READY else f"order-column--{band}"
        # Partial styles carry colours only: the card (or cursor) background shows through.
        mark = self.get_visual_style(mark_class, partial=True)
        bar = Content.styled(BAR, mark)
        inner = max(1, width - 2)
        who = self._who(card)
        lines = [
            _spread(
                Content.assemble(
                    (card.label, self.get_visual_style("order-column--number", partial=True)), " ", card.name
                ),
                self._age(age, band, mark),
                inner,
            ),
            Content.styled(card.drink, self.get_visual_style("order-column--drink", partial=True)),
            _spread(Content(card.options), who, inner),
        ]
        strips = []
        for line in lines:
            content = Content.assemble(bar, " ", line.truncate(inner, ellipsis=True, pad=True))
            strips.append(Strip(content.render_segments(base), width).extend_cell_length(width))
        return strips

    def _age(self, age: str, band: AgeBand, mark: Style) -> Content:
        if band is AgeBand.LATE:  # a chip that shouts across the bar
            return Content.styled(f" {age} ", self.get_visual_style("order-column--late-age"))
        return Content.styled(age, mark)

    def _who(self, card: Card) -> Content:
        if card.barista is None or card.lane is Lane.READY:
            return Content("")
        if card.mine:
            return Content.styled("● you", self.get_visual_style("order-column--mine", partial=True))
        return Content.assemble(
            ("⚑ ", ""), (card.barista, self.get_visual_style("order-column--other", partial=True))
        )

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_offset.y) + offset.y) // CARD_HEIGHT
        if 0 <= index < len(self._ids):
            self.post_message(self.CardClicked(self, self._ids[index]))


def _spread(left: Content, right: Content, width: int) -> Content:
    """`left` and `right` on one line, `right` flush right; `left` gives way when tight."""
    room = width - right.cell_length - 1
    if right.cell_length == 0:
        return left
    if room < 4:
        return left
    return Content.assemble(left.truncate(room, ellipsis=True, pad=True), " ", right)

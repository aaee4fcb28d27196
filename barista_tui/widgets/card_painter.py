"""Drawing one order card as three lines of a lane (the column decides which and when).

    ▌ #42 Ada        3:12
    ▌ Flat White
    ▌ Oat · Large   ⚑ Bob

Names are Content built from plain strings: never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.strip import Strip
from textual.style import Style

from barista_tui.board import AgeBand, Card, Lane

BAR = "▌"
StyleOf = Callable[..., Style]  # the column's get_visual_style(*component_classes, partial=)


class CardPainter:
    def __init__(self, style_of: StyleOf) -> None:
        self.style_of = style_of

    def paint(self, card: Card, width: int, cursor: bool, age: str, band: AgeBand) -> list[Strip]:
        style_of = self.style_of
        names = ("order-column--card", "order-column--cursor") if cursor else ("order-column--card",)
        base = style_of(*names)
        mark_class = "order-column--ready" if card.lane is Lane.READY else f"order-column--{band}"
        # Partial styles carry colours only: the card (or cursor) background shows through.
        mark = style_of(mark_class, partial=True)
        bar = Content.styled(BAR, mark)
        inner = max(1, width - 2)
        number = style_of("order-column--number", partial=True)
        lines = [
            spread(Content.assemble((card.label, number), " ", card.name), self._age(age, band, mark), inner),
            Content.styled(card.drink, style_of("order-column--drink", partial=True)),
            spread(Content(card.options), self._who(card), inner),
        ]
        strips = []
        for line in lines:
            content = Content.assemble(bar, " ", line.truncate(inner, ellipsis=True, pad=True))
            strips.append(Strip(content.render_segments(base), width).extend_cell_length(width))
        return strips

    def empty(self, text: str, width: int) -> Strip:
        content = Content(text)
        content = content.pad_left(max(0, (width - content.cell_length) // 2)).truncate(width, pad=True)
        return Strip(content.render_segments(self.style_of("order-column--empty")), width)

    def _age(self, age: str, band: AgeBand, mark: Style) -> Content:
        if band is AgeBand.LATE:  # a chip that shouts across the bar
            return Content.styled(f" {age} ", self.style_of("order-column--late-age"))
        return Content.styled(age, mark)

    def _who(self, card: Card) -> Content:
        if card.barista is None or card.lane is Lane.READY:
            return Content("")
        if card.mine:
            return Content.styled("● you", self.style_of("order-column--mine", partial=True))
        return Content.assemble("⚑ ", (card.barista, self.style_of("order-column--other", partial=True)))


def spread(left: Content, right: Content, width: int) -> Content:
    """`left` and `right` on one line, `right` flush right; `left` gives way when tight."""
    room = width - right.cell_length - 1
    if right.cell_length == 0 or room < 4:
        return left
    return Content.assemble(left.truncate(room, ellipsis=True, pad=True), " ", right)

"""One lane's cards, kept sorted, with the lane's cursor. Pure (no Textual).

Sorted by each card's key (bisect), so adding, moving or dropping one order costs a binary
search and a list insert, however long the lane.
"""

from __future__ import annotations

from bisect import bisect_left

from barista_tui.board import Card


class LaneCards:
    def __init__(self) -> None:
        self.cursor_id: str | None = None
        self._cursor_index = 0  # where the cursor was: the fallback when its card leaves
        self._cards: dict[str, Card] = {}
        self._keys: list[tuple[float, int, str]] = []  # sorted; parallel to _ids
        self._ids: list[str] = []

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._cards

    @property
    def ids(self) -> list[str]:
        return self._ids

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

    def put(self, card: Card) -> bool:
        """Add or update one card (moving it if its place changed). False: nothing changed."""
        old = self._cards.get(card.order_id)
        if old == card:
            return False
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
        self._remember_cursor()
        return True

    def drop(self, order_id: str) -> bool:
        card = self._cards.pop(order_id, None)
        if card is None:
            return False
        index = bisect_left(self._keys, card.sort_key)
        del self._keys[index], self._ids[index]
        if self.cursor_id == order_id:
            # The card that takes its place gets the cursor: the next one in line.
            self._cursor_index = index
            self.cursor_id = self._ids[min(index, len(self._ids) - 1)] if self._ids else None
        self._remember_cursor()
        return True

    def replace_all(self, cards: list[Card]) -> None:
        self._cards = {card.order_id: card for card in cards}
        ordered = sorted(cards, key=lambda card: card.sort_key)
        self._keys = [card.sort_key for card in ordered]
        self._ids = [card.order_id for card in ordered]
        if self.cursor_id not in self._cards:
            self.cursor_id = self._ids[min(self._cursor_index, len(self._ids) - 1)] if self._ids else None
        self._remember_cursor()

    def select_index(self, index: int) -> None:
        if not self._ids:
            self.cursor_id = None
            return
        self._cursor_index = max(0, min(len(self._ids) - 1, index))
        self.cursor_id = self._ids[self._cursor_index]

    def move_cursor(self, delta: int) -> None:
        if self._ids:
            current = self.cursor_index
            self.select_index(0 if current is None else current + delta)

    def _remember_cursor(self) -> None:
        index = self.cursor_index
        if index is not None:
            self._cursor_index = index

"""What a write transaction may keep while it holds its store's lock, for both stores.

Nobody else can append to the store, take its numbers or use its codes until the
transaction ends, so the log's last seq and the counters read or written are kept rather
than read again (several steps of a batch ask for the same ones; on PostgreSQL each read is
a round trip). The subclasses say how to read and write them in their SQL.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from core.events import Event
from core.eventstore.base import StoreTransaction
from core.eventstore.rows import fresh_events, numbered

K = TypeVar("K")


class LockedTransaction(StoreTransaction):
    def __init__(self, store: str) -> None:
        self.store = store
        self.appended = False
        self._last_seq: int | None = None
        self._numbers: dict[date, int] = {}  # day -> the next number to give
        self._code_uses: dict[int, int] = {}  # code window -> uses

    # -- what the subclasses read and write ----------------------------------------

    @abstractmethod
    def _read_last_seq(self) -> int: ...

    @abstractmethod
    def _insert(self, events: Sequence[Event]) -> None:
        """Insert events already numbered (their seq and store set)."""

    @abstractmethod
    def _read_number(self, day: date) -> int | None:
        """The next number kept for `day`, None when none was taken yet."""

    @abstractmethod
    def _write_number(self, day: date, next_number: int) -> None: ...

    @abstractmethod
    def _read_code_uses(self, window: int) -> int | None: ...

    # -- kept ------------------------------------------------------------------------

    def last_seq(self) -> int:
        if self._last_seq is None:
            self._last_seq = self._read_last_seq()
        return self._last_seq

    def append(self, events: Sequence[Event], *, new: bool = False) -> list[Event]:
        self.writes += 1
        known = set() if new else self.known_ids([event.id for event in events])
        stored = numbered(fresh_events(self.store, events, known), self.last_seq())
        if not stored:
            return []
        self._last_seq = None  # unknown until the insert has fully succeeded
        self._insert(stored)
        self._last_seq = stored[-1].seq
        self.appended = True
        return stored

    def peek_number(self, day: date) -> int:
        return _kept(self._numbers, day, self._read_number, 1)

    def take_numbers(self, day: date, count: int = 1) -> tuple[int, int]:
        if count < 1:
            raise ValueError("take at least one number")
        self.writes += 1
        first = self.peek_number(day)
        self._write_number(day, first + count)
        self._numbers[day] = first + count
        return first, first + count - 1

    def code_uses(self, window: int) -> int:
        return _kept(self._code_uses, window, self._read_code_uses, 0)

    def _forget(self) -> None:
        """What an undone savepoint may have changed: read it again when asked."""
        self._last_seq = None
        self._numbers.clear()
        self._code_uses.clear()


def _kept(counters: dict[K, int], key: K, read: Callable[[K], int | None], none_yet: int) -> int:
    """The counter under `key`, read once per transaction (`none_yet` when nothing is stored)."""
    known = counters.get(key)
    if known is None:
        stored = read(key)
        counters[key] = known = none_yet if stored is None else stored
    return known

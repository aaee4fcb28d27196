"""Messages into the kiosk's screen: past tense, small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from core.sync.feed import CodeInfo


@dataclass
class FeedChanged(Message):
    """The store feed has news; it is waiting in the screen's digest. Bursts merge into one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FeedChanged)


@dataclass
class CodeFetched(Message):
    """The backend's current code, or None: no phone orders now."""

    code: CodeInfo | None

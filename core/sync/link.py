"""The state of the link to the backend, as the badge on both screens shows it."""

from __future__ import annotations

from datetime import datetime

from core.clock import Clock
from core.sync.feed import SyncStatus


class Link:
    """Online/offline with the moment it went. Starts 'connecting' (neither yet)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.online = False
        self.connecting = True
        self.offline_since: datetime | None = None

    def up(self) -> bool:
        """The backend answered. Returns True if that is news."""
        changed = not self.online
        self.online, self.connecting, self.offline_since = True, False, None
        return changed

    def down(self) -> bool:
        """The backend did not answer. Returns True if that is news."""
        changed = self.online or self.connecting
        if changed:
            self.offline_since = self._clock.now()
        self.online, self.connecting = False, False
        return changed

    def status(self, waiting: int, last_seq: int) -> SyncStatus:
        return SyncStatus(
            online=self.online,
            offline_since=self.offline_since,
            waiting=waiting,
            last_seq=last_seq,
            connecting=self.connecting,
        )

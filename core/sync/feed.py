"""What the terminal apps see of a store: the contract between the sync client and the apps.

The kiosk and the barista terminal each hold one `StoreFeed` (implemented by
`core.sync.client.StoreClient`). The feed keeps a local replica of the store's events,
follows the backend's event stream while online, and decides commands locally while
offline. Everything here is called on the app's asyncio event loop; listeners are called
on that loop too, after the change is applied (and, for local commands, after it is safely
in the outbox).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.errors import ErrorCode
from core.events import Event
from core.orders import OrderState
from core.projection import OrderChange, Projection


@dataclass(frozen=True, slots=True)
class SyncStatus:
    online: bool
    offline_since: datetime | None = None
    waiting: int = 0  # commands in the outbox, not yet delivered
    last_seq: int = 0  # the backend seq the replica has caught up to
    connecting: bool = False  # just started, no answer from the backend yet (not offline yet)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user must be told in plain words, e.g. a command that lost a conflict:
    "#42 was cancelled by the customer before you completed it"."""

    text: str
    time: datetime
    order_id: str | None = None
    level: str = "warning"  # "information" | "warning" | "error"


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """One batch of changes, delivered to listeners."""

    changes: tuple[OrderChange, ...] = ()
    store_changed: bool = False  # open/closed or the menu changed
    status: SyncStatus | None = None  # set when the status changed
    notices: tuple[Notice, ...] = ()
    initial: bool = False  # the first update, right after the replica was loaded: read
    # everything from `projection` (then `changes` is empty and `store_changed` is True).
    # A change whose `after.is_visible` is False means the order is gone from this device
    # (a walk-up shown while its request's outcome was unknown, later settled otherwise).


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The outcome of a barista command. Network trouble is never an exception: the command
    is then decided locally and kept in the outbox (`queued_offline`)."""

    ok: bool
    order: OrderState | None = None
    error: ErrorCode | None = None
    detail: str = ""
    queued_offline: bool = False


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """The booth's current QR code (GET /api/v1/stores/{store}/code)."""

    code: str
    url: str
    expires_at: datetime
    remaining: int
    rotation_s: int = 300


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """The store object's fixed parts, as the backend last told them."""

    id: str
    name: str
    limits: Mapping[str, int | float] = field(default_factory=dict)


Listener = Callable[[FeedUpdate], None]


class StoreFeed(Protocol):
    projection: Projection  # read on the loop only; never mutate it
    status: SyncStatus
    store_info: StoreInfo

    def add_listener(self, listener: Listener) -> None: ...
    def remove_listener(self, listener: Listener) -> None: ...

    async def start(self, *, follow: bool = True) -> None:
        """Load the replica (listeners get an `initial` update at once), then connect and
        follow the backend in background tasks (unless not `follow`). Returns quickly,
        before any network I/O."""

    def follow(self) -> None:
        """After `start(follow=False)`: connect and follow the backend in background tasks.
        An app shows its replica first, then follows: its first screen waits for no network
        I/O. Does nothing if already following."""

    async def stop(self) -> None: ...

    def timeline(self, order_id: str) -> list[Event]:
        """Every event of one order known here, in (time, id) order."""

    # Barista commands.
    async def claim(self, order_id: str) -> CommandResult: ...
    async def unclaim(self, order_id: str) -> CommandResult: ...
    async def complete(self, order_id: str) -> CommandResult: ...
    async def cancel(self, order_id: str, reason: str | None = None) -> CommandResult: ...
    async def walk_up(self, customer_name: str, item: str, options: Mapping[str, str]) -> CommandResult: ...
    async def open_store(self) -> CommandResult: ...
    async def close_store(self) -> CommandResult: ...
    async def set_item_stock(self, item: str, available: bool) -> CommandResult: ...
    async def set_choice_stock(self, option: str, choice: str, available: bool) -> CommandResult: ...

    # Kiosk.
    async def fetch_code(self) -> CodeInfo | None:
        """The current code, or None when the store is closed, the backend is unreachable or
        it refuses phone orders."""

"""The kiosk's store feed: the real sync client, following the backend as a display."""

from __future__ import annotations

from core.config import Settings
from core.sync.feed import StoreFeed


class FeedError(Exception):
    """The feed cannot be set up (unknown store, bad settings); the message says why."""


def open_feed(settings: Settings, *, server: str | None = None, store: str | None = None) -> StoreFeed:
    from core.sync.client import StoreClient

    store_id = store or settings.client.store
    if settings.store(store_id) is None:
        raise FeedError(f"no store {store_id!r} in {settings.source}")
    client: StoreFeed = StoreClient(
        settings, server=server or settings.client.server, store=store_id, role="display"
    )
    return client

"""The kiosk's store feed: the real sync client, following the backend as a display."""

from __future__ import annotations

from pathlib import Path

from core.config import Settings
from core.sync.client import StoreClient
from core.sync.feed import StoreFeed

DEVICE_NAME = "kiosk"  # names the kiosk's own replica file, apart from any barista's


def open_feed(
    settings: Settings,
    *,
    server: str | None = None,
    store: str | None = None,
    replica_path: Path | None = None,
) -> StoreFeed:
    """A feed of `store` (default: `[client] store`) on `server` (default: `[client] server`),
    read with the display token. Nothing touches the network until the feed starts."""
    store_id = store or settings.client.store
    client: StoreFeed = StoreClient(
        (server or settings.client.server).rstrip("/"),
        store_id,
        settings.auth.display_token,
        actor=DEVICE_NAME,
        device_name=DEVICE_NAME,
        replica_path=replica_path,
        config=settings.store(store_id),
    )
    return client

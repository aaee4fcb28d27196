"""Fixtures for the sync client's tests."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from core.config import REPO_CONFIG, StoreConfig, load_settings
from core.sync.client import StoreClient
from core.sync.feed import FeedUpdate
from core.sync.follower import LinkSettings

# Quick to notice and quick to recover, so tests wait on conditions for little time.
FAST_LINK = LinkSettings(silence_s=1.0, probe_timeout_s=0.5, backoff_first_s=0.05, backoff_cap_s=0.3)


@pytest.fixture
def dead_server() -> str:
    """A URL where nothing listens: every connection is refused, as when the link is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def booth_config() -> StoreConfig:
    config = load_settings(REPO_CONFIG, environ={}).stores["booth"]
    return config.model_copy(update={"open": True})


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


class Recorder:
    """Every update a client delivered, for assertions."""

    def __init__(self) -> None:
        self.updates: list[FeedUpdate] = []

    def __call__(self, update: FeedUpdate) -> None:
        self.updates.append(update)

    @property
    def notices(self) -> list[str]:
        return [n.text for u in self.updates for n in u.notices]


ClientFactory = Callable[..., StoreClient]


@pytest.fixture
async def make_client(data_dir: Path) -> AsyncIterator[ClientFactory]:
    """Build StoreClients (replicas under tmp_path) that are stopped after the test."""
    made: list[StoreClient] = []

    def make(server: str, token: str, actor: str | None = None, **options: Any) -> StoreClient:
        options.setdefault("link", FAST_LINK)
        options.setdefault("data_dir", data_dir)
        client = StoreClient(server, "booth", token, actor=actor, **options)
        client.recorder = Recorder()  # type: ignore[attr-defined]
        client.add_listener(client.recorder)  # type: ignore[attr-defined]
        made.append(client)
        return client

    yield make
    for client in made:
        await client.stop()

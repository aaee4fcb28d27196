"""Fixtures for the sync client's tests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.config import REPO_CONFIG, StoreConfig, load_settings
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

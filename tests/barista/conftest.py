"""Fixtures for the barista terminal's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.clock import FakeClock
from core.config import StoreConfig, load_settings
from tests.barista.support.local_feed import LocalFeed


@pytest.fixture
def store_config() -> StoreConfig:
    """The repository's booth, open."""
    settings = load_settings(None)
    return settings.stores["booth"].model_copy(update={"open": True})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def local_feed(store_config: StoreConfig, clock: FakeClock) -> LocalFeed:
    return LocalFeed(store_config, clock)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A blinking cursor makes screenshots differ from run to run."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)
    yield

"""Pytest fixtures for tests that need a running backend (loaded by tests/conftest.py).

- `backend_server`: a fresh `espresso serve` on SQLite with the store `booth` open.
- `server_factory(**config)`: start more (each with its own database unless `database=`
  is given; `store={...}` overrides the store's settings, e.g. short timeouts).
- `module_server_factory`: the same, shared by one test module (start servers once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import BackendServer, start_server

ServerFactory = Callable[..., BackendServer]


def _factory(stack: ExitStack, directory: Path) -> ServerFactory:
    count = 0

    def make(**config: Any) -> BackendServer:
        nonlocal count
        count += 1
        return stack.enter_context(
            start_server(directory / f"server{count}", name=f"server{count}", **config)
        )

    return make


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[ServerFactory]:
    with ExitStack() as stack:
        yield _factory(stack, tmp_path)


@pytest.fixture(scope="module")
def module_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerFactory]:
    with ExitStack() as stack:
        yield _factory(stack, tmp_path_factory.mktemp("servers"))


@pytest.fixture
def backend_server(server_factory: ServerFactory) -> BackendServer:
    return server_factory()

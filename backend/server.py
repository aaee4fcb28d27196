"""`espresso serve`: open the event store, build the app, run uvicorn until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import signal
import socket
import sys
from types import FrameType

import uvicorn

from backend.app import create_app
from backend.exposure import exposure_problem
from backend.gc_policy import tune_for_serving
from backend.runtime import Backend
from core.config import Settings
from core.eventstore.base import StoreError, open_event_store


class _Server(uvicorn.Server):
    """Ends the event streams when asked to stop, so shutdown does not wait on them, and
    exits with status 0 after SIGTERM/SIGINT."""

    backend: Backend | None = None
    loop: asyncio.AbstractEventLoop | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.backend is not None and self.loop is not None:
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.backend.begin_shutdown)
        # As uvicorn does, minus re-raising the signal afterwards: a requested stop exits 0.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().startup(sockets)
        if not self.should_exit:
            for server in self.servers:
                for sock in server.sockets:
                    host, port = sock.getsockname()[:2]
                    print(f"espresso: serving on http://{host}:{port} ({_where(self)})", flush=True)


def _where(server: _Server) -> str:
    backend = server.backend
    if backend is None:
        return ""
    stores = ", ".join(backend.stores) or "no stores"
    return f"stores: {stores}"


def _http_protocol() -> type[asyncio.Protocol] | str:
    """httptools with the writes of one loop turn sent as one (backend/coalesce.py)."""
    if importlib.util.find_spec("httptools") is None:
        return "h11"
    from backend.coalesce import CoalescingHttpToolsProtocol

    return CoalescingHttpToolsProtocol


def serve(
    settings: Settings, host: str | None = None, port: int | None = None, database: str | None = None
) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    host = host or settings.server.host
    problem = exposure_problem(settings, host)
    if problem is not None:
        print(f"espresso: {problem}", file=sys.stderr)
        return 2
    url = database or settings.server.database
    try:
        event_store = open_event_store(url)
    except Exception as error:  # a bad URL, an unreadable or newer database
        print(f"espresso: cannot open the database: {error}", file=sys.stderr)
        return 2
    app = create_app(settings, event_store)
    try:
        app.state.backend.load()  # before serving: a log it cannot read is said plainly
    except StoreError as error:
        event_store.close()
        print(f"espresso: cannot start: {error}", file=sys.stderr)
        return 2
    tune_for_serving()
    config = uvicorn.Config(
        app,
        host=host,
        port=settings.server.port if port is None else port,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http=_http_protocol(),
        access_log=False,  # tokens can be in URLs (access_token); never log them
        log_level="warning",
        timeout_graceful_shutdown=5,
        lifespan="on",
    )
    server = _Server(config)
    server.backend = app.state.backend
    try:
        server.run()
    finally:
        event_store.close()
    return 0 if server.started else 1

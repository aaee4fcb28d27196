"""The FastAPI application: routers, error handlers, middleware and the life cycle."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.direct_routes import EspressoApp
from backend.metrics import LatencyMiddleware
from backend.openapi import install_openapi
from backend.phone import phone_router
from backend.problems import install_error_handlers
from backend.routes import events, ops, orders, staff, stores
from backend.runtime import Backend
from core.clock import Clock, SystemClock
from core.config import Settings
from core.eventstore.base import EventStore

KEEPALIVE_S = 15.0

DESCRIPTION = """The espresso stall's HTTP API v1 (see docs/API.md).

Errors are `application/problem+json` with a stable `code`. Authenticate with
`Authorization: Bearer <token>`; event streams also take `?access_token=`."""


def create_app(
    settings: Settings, event_store: EventStore, clock: Clock | None = None, keepalive_s: float | None = None
) -> FastAPI:
    if keepalive_s is None:
        keepalive_s = float(os.environ.get("ESPRESSO_SSE_KEEPALIVE_S", KEEPALIVE_S))
    backend = Backend(settings, event_store, clock or SystemClock(), keepalive_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await backend.start()
        try:
            yield
        finally:
            await backend.stop()

    app = EspressoApp(
        title="Espresso stall",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's built-in OpenTelemetry hooks cost ~0.1 ms per request just to find out
        # that nothing is configured; /metrics is ours.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.backend = backend
    install_error_handlers(app)
    # The routes go straight into the app's router: included routers are matched through a
    # layer that cost more per request than the endpoints themselves. Hot routes first.
    for router in (orders.router, stores.router, staff.router, events.router, ops.router):
        app.router.routes.extend(router.routes)
    app.router.routes.extend(phone_router(settings).routes)  # GET /order/{store}: the phone order page
    install_openapi(app, list(settings.stores))
    app.add_middleware(LatencyMiddleware, metrics=backend.metrics)
    app.use_direct_routes(backend.metrics)  # the hot routes, before the middleware above
    return app

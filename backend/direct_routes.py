"""The hot routes straight from the application's entry, without the framework between.

An endpoint that takes only the request and its path parameters needs none of what
FastAPI and Starlette do on every request (eight middleware layers, each wrapping the
request and every message sent, the router trying each route's pattern in turn, solving
dependencies, validating parameters, serialising a return value): it reads and checks what
it needs itself and returns a Response. `EspressoApp` looks such a request up by its
method and path segments and calls the endpoint itself, doing what the skipped layers would
have done for it: the error handlers, the latency metric. Everything else (other routes,
a wrong method, a trailing slash, lifespan) goes through FastAPI as before, and the FastAPI
routes stay for the OpenAPI page.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from backend.metrics import Metrics

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


class DirectRoute:
    """One route's path template as segments: literals to compare, parameters to take."""

    def __init__(self, api_route: APIRoute) -> None:
        self.api_route = api_route
        self.template = api_route.path
        self.methods = frozenset(api_route.methods or ())
        self.segments = api_route.path.split("/")
        self.literals = [(i, s) for i, s in enumerate(self.segments) if not s.startswith("{")]
        self.params = [(i, s[1:-1]) for i, s in enumerate(self.segments) if s.startswith("{")]
        self.endpoint: Callable[..., Awaitable[Response]] = api_route.endpoint
        self.takes_request = _takes_request(api_route)

    def match(self, parts: list[str]) -> dict[str, str] | None:
        for i, literal in self.literals:
            if parts[i] != literal:
                return None
        params = {name: parts[i] for i, name in self.params}
        return params if all(params.values()) else None  # as Starlette's [^/]+

    async def call(self, request: Request, params: dict[str, str]) -> Response:
        if self.takes_request:
            return await self.endpoint(request, **params)
        return await self.endpoint(**params)


class EspressoApp(FastAPI):
    """FastAPI, with the direct routes answered before its middleware stack."""

    direct: dict[tuple[str, int], list[DirectRoute]]
    metrics: Metrics

    def use_direct_routes(self, metrics: Metrics) -> None:
        """Call once every route is in place."""
        self.metrics = metrics
        self.direct = {}
        for route in self.router.routes:
            if isinstance(route, APIRoute) and is_direct(route):
                direct = DirectRoute(route)
                for method in direct.methods:
                    self.direct.setdefault((method, len(direct.segments)), []).append(direct)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.root_path:
            parts = scope["path"].split("/")
            for route in self.direct.get((scope["method"], len(parts)), ()):
                params = route.match(parts)
                if params is not None:
                    await self._serve(route, params, scope, receive, send)
                    return
        await super().__call__(scope, receive, send)

    async def _serve(
        self, route: DirectRoute, params: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        started = time.perf_counter()
        scope["app"] = self
        scope["path_params"] = params
        scope["route"] = route.api_route
        request = Request(scope, receive, send)
        unexpected: Exception | None = None
        try:
            response = await route.call(request, params)
        except Exception as error:
            # What ExceptionMiddleware (a registered handler) or ServerErrorMiddleware (the
            # 500 handler, then re-raised for the server to log) would have done.
            handler = self._handler_for(error)
            if handler is None:
                handler, unexpected = self.exception_handlers[Exception], error
            answer = handler(request, error)
            response = await answer if inspect.isawaitable(answer) else answer
        method = scope["method"]
        self.metrics.observe(method, route.template, response.status_code, time.perf_counter() - started)
        await response(scope, receive, send)
        if unexpected is not None:
            raise unexpected

    def _handler_for(self, error: Exception) -> Handler | None:
        for cls in type(error).__mro__:
            if cls is Exception:
                return None
            if cls in self.exception_handlers:
                return self.exception_handlers[cls]
        return None


def _takes_request(route: APIRoute) -> bool:
    parameters = list(inspect.signature(route.endpoint).parameters)
    return bool(parameters) and parameters[0] == "request"


def is_direct(route: BaseRoute) -> bool:
    """An endpoint of ([request,] <the path's parameters as str>) returning a Response."""
    if not isinstance(route, APIRoute):
        return False
    parameters = list(inspect.signature(route.endpoint).parameters.values())
    rest = parameters[1:] if _takes_request(route) else parameters
    return {p.name for p in rest} == set(route.param_convertors) and all(
        p.default is inspect.Parameter.empty and p.annotation in ("str", str) for p in rest
    )

"""The hot routes without FastAPI's per-request machinery.

An endpoint that takes only the request and its path parameters needs none of what
FastAPI's handler does on every request (solving dependencies, validating parameters,
serialising a return value): it reads and checks what it needs itself and returns a
Response. In front of each such route goes a plain Starlette route with the same path and
methods that calls the endpoint directly; the FastAPI route stays behind it for the OpenAPI
page and the 405 answers. On the rush this was a quarter of the event loop's CPU.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope


class DirectRoute(Route):
    def __init__(self, api_route: APIRoute) -> None:
        endpoint: Callable[..., Any] = api_route.endpoint
        takes_request = _takes_request(api_route)

        async def call(request: Request) -> Response:
            if takes_request:
                response: Response = await endpoint(request, **request.path_params)
            else:
                response = await endpoint(**request.path_params)
            return response

        methods = set(api_route.methods or ())
        super().__init__(api_route.path, call, methods=list(methods), include_in_schema=False)
        self.methods = methods  # no implicit HEAD: the API documents none
        self.api_route = api_route

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE:
            child["route"] = self.api_route  # what the metrics label requests by
        return match, child


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


def with_direct_routes(routes: list[BaseRoute]) -> list[BaseRoute]:
    """A DirectRoute for each direct route, all of them first (a request is matched against
    the routes in turn), then `routes` as they were. Their paths do not overlap, and where
    one path has several methods a DirectRoute only partly matches the others: the router
    goes on to the full match behind it."""
    direct = [DirectRoute(route) for route in routes if isinstance(route, APIRoute) and is_direct(route)]
    return [*direct, *routes]

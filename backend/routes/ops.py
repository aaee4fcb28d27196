"""Health and metrics: public, and they reveal no names, order ids, numbers or tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from backend import schemas
from backend.routes.common import json_response
from backend.runtime import backend_of

router = APIRouter(tags=["operations"])


@router.get(
    "/healthz", summary="Is the backend up", responses={200: {"model": schemas.Health, "description": "OK"}}
)
async def healthz() -> Response:
    return json_response(b'{"status":"ok"}')


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=PlainTextResponse,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text format",
        }
    },
)
async def metrics(request: Request) -> Response:
    backend = backend_of(request)
    text = backend.metrics.render(backend)
    return Response(text, media_type="text/plain; version=0.0.4; charset=utf-8")

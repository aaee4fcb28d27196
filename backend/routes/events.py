"""The event log over HTTP: read it, follow it (SSE), push offline events into it."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response, StreamingResponse

from backend import schemas
from backend.auth import Credential, Role, authenticator_of, require_staff, staff
from backend.body import json_body
from backend.openapi import body_doc
from backend.problems import problems
from backend.push import check_types, push_events
from backend.routes.common import (
    STREAM_PARAMETERS,
    causation,
    idempotency,
    json_response,
    reply,
    responses,
    store_runtime,
    stream_cursor,
    write_doc,
)
from backend.runtime import StoreRuntime, backend_of
from backend.sse import PAST_BATCH, SSE_RESPONSE, stream_response
from backend.views import events_json
from core.errors import ErrorCode as E
from core.events import Event

router = APIRouter(prefix="/api/v1/stores/{store}/events", tags=["events"])
Display = Annotated[Credential, Depends(staff(Role.DISPLAY))]
Barista = Annotated[Credential, Depends(staff(Role.BARISTA))]
Store = Annotated[StoreRuntime, Depends(store_runtime)]
MAX_PAGE = 1000
STAFF_ERRORS = (E.UNAUTHORIZED, E.FORBIDDEN, E.NOT_FOUND)


@router.get(
    "",
    summary="Events after a seq",
    responses=responses(200, schemas.EventPage, *STAFF_ERRORS, E.VALIDATION_ERROR),
)
async def list_events(
    request: Request,
    who: Display,
    rt: Store,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, description=f"at most {MAX_PAGE} are returned")] = 500,
) -> Response:
    store = backend_of(request).event_store
    events = await asyncio.to_thread(store.read, rt.id, after, min(limit, MAX_PAGE))
    last = (events[-1].seq or after) if events else after
    return json_response(events_json(events, last))


@router.get(
    "/stream",
    summary="Server-Sent Events of the store (past first, then live)",
    response_class=StreamingResponse,
    responses={200: SSE_RESPONSE, **problems(*STAFF_ERRORS, E.VALIDATION_ERROR)},
    openapi_extra={"parameters": STREAM_PARAMETERS},
)
async def event_stream(request: Request, store: str) -> Response:
    # Inline rather than dependencies: staff token (header or access_token), then the store.
    require_staff(authenticator_of(request).from_request(request, allow_query=True), Role.DISPLAY)
    backend = backend_of(request)
    rt = backend.store(store)
    event_log = backend.event_store

    def read_past(cursor: int) -> list[Event]:
        return event_log.read(rt.id, cursor, PAST_BATCH)

    return stream_response(rt.broadcaster, None, stream_cursor(request), read_past, backend.keepalive_s)


@router.post(
    "",
    summary="Push events a device recorded while offline",
    responses=responses(
        200,
        schemas.PushResult,
        *STAFF_ERRORS,
        E.PAYLOAD_TOO_LARGE,
        E.UNSUPPORTED_MEDIA_TYPE,
        E.VALIDATION_ERROR,
        E.IDEMPOTENCY_MISMATCH,
    ),
    openapi_extra=write_doc(body_doc(schemas.PushBody)),
)
async def push(request: Request, who: Barista, rt: Store) -> Response:
    body, raw = await json_body(request, schemas.PushBody)
    check_types(body.events)
    idem = idempotency(request, who, raw)
    action = push_events(body.events)
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))

"""Order endpoints: the customer's (order token) and the barista's (staff token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from backend import actions, schemas
from backend.auth import Credential, Role, authenticator_of, require_staff, staff_name
from backend.body import json_body, optional_json_body
from backend.openapi import body_doc
from backend.problems import ApiError, problems
from backend.routes.common import (
    STREAM_PARAMETERS,
    causation,
    idempotency,
    json_response,
    reply,
    responses,
    stream_cursor,
    write_doc,
)
from backend.runtime import StoreRuntime, backend_of
from backend.sse import SSE_RESPONSE, stream_response
from backend.views import order_view, to_json
from core import commands as c
from core.errors import ErrorCode as E
from core.events import Event
from core.orders import OrderState

router = APIRouter(prefix="/api/v1/orders/{order_id}", tags=["orders"])
ACCESS_ERRORS = (E.UNAUTHORIZED, E.FORBIDDEN, E.NOT_FOUND)
BODY_ERRORS = (E.PAYLOAD_TOO_LARGE, E.UNSUPPORTED_MEDIA_TYPE, E.VALIDATION_ERROR, E.IDEMPOTENCY_MISMATCH)


async def _access(
    request: Request, order_id: str, staff_role: Role | None, allow_query: bool = False
) -> tuple[Credential, StoreRuntime, OrderState]:
    """The order token of this order, or a staff token of `staff_role` (None: staff may not)."""
    credential = authenticator_of(request).from_request(request, allow_query)
    if credential is None:
        raise ApiError(E.UNAUTHORIZED, "this needs the order's token or a staff token")
    if credential.order_id is not None:
        if credential.order_id != order_id:
            raise ApiError(E.NOT_FOUND, "no such order")  # do not reveal that it exists
    elif staff_role is None:
        raise ApiError(E.FORBIDDEN, "only the customer's order token can do this")
    else:
        require_staff(credential, staff_role)
    found = await backend_of(request).find_order(order_id)
    if found is None:
        raise ApiError(E.NOT_FOUND, "no such order")
    return credential, found[0], found[1]


@router.get("", summary="One order", responses=responses(200, schemas.Order, *ACCESS_ERRORS))
async def get_order(request: Request, order_id: str) -> Response:
    _, _, order = await _access(request, order_id, Role.DISPLAY)
    return json_response(to_json(order_view(order)))


@router.put(
    "/drink",
    summary="Choose the drink (the customer's order token only)",
    responses=responses(200, schemas.Order, *ACCESS_ERRORS, *BODY_ERRORS, E.INVALID_TRANSITION),
    openapi_extra=write_doc(body_doc(schemas.DrinkBody)),
)
async def choose_drink(request: Request, order_id: str) -> Response:
    credential, rt, _ = await _access(request, order_id, None)
    body, raw = await json_body(request, schemas.DrinkBody)
    idem = idempotency(request, credential, raw)
    action = actions.choose_drink(c.ChooseDrink(order_id, body.item, dict(body.options)))
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))


@router.post(
    "/cancel",
    summary="Cancel (the customer while started or queued; a barista until it ends)",
    responses=responses(200, schemas.Order, *ACCESS_ERRORS, *BODY_ERRORS, E.INVALID_TRANSITION),
    openapi_extra=write_doc(body_doc(schemas.CancelBody, required=False), barista=True),
)
async def cancel(request: Request, order_id: str) -> Response:
    credential, rt, _ = await _access(request, order_id, Role.BARISTA)
    body, raw = await optional_json_body(request, schemas.CancelBody)
    reason = body.reason if body is not None else None
    if credential.is_staff:
        actor = staff_name(request, credential)
        command = c.CancelOrder(order_id, by="barista", reason=reason)
    else:
        actor = "customer"
        command = c.CancelOrder(order_id, by="customer", reason=reason)
    idem = idempotency(request, credential, raw, actor)
    action = actions.order_command(command, order_id, actor)
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))


async def _barista_step(request: Request, order_id: str, make: type) -> Response:
    # The role check is inline rather than a dependency: these are the hottest staff routes.
    who = require_staff(authenticator_of(request).from_request(request), Role.BARISTA)
    found = await backend_of(request).find_order(order_id)
    if found is None:
        raise ApiError(E.NOT_FOUND, "no such order")
    name = staff_name(request, who)
    idem = idempotency(request, who, b"", name)
    action = actions.order_command(make(order_id, name), order_id, name)
    return reply(await backend_of(request).execute(found[0].id, action, causation(idem), idem))


BARISTA_RESPONSES = responses(
    200, schemas.Order, *ACCESS_ERRORS, E.INVALID_TRANSITION, E.IDEMPOTENCY_MISMATCH
)


@router.post(
    "/claim",
    summary="Claim: you are making it",
    responses={**BARISTA_RESPONSES, **responses(200, schemas.Order, E.ALREADY_CLAIMED)},
    openapi_extra=write_doc(barista=True),
)
async def claim(request: Request, order_id: str) -> Response:
    return await _barista_step(request, order_id, c.ClaimOrder)


@router.post(
    "/unclaim",
    summary="Put it back in the queue",
    responses=BARISTA_RESPONSES,
    openapi_extra=write_doc(barista=True),
)
async def unclaim(request: Request, order_id: str) -> Response:
    return await _barista_step(request, order_id, c.UnclaimOrder)


@router.post(
    "/complete",
    summary="Ready for pickup",
    responses=BARISTA_RESPONSES,
    openapi_extra=write_doc(barista=True),
)
async def complete(request: Request, order_id: str) -> Response:
    return await _barista_step(request, order_id, c.CompleteOrder)


@router.get(
    "/stream",
    summary="Server-Sent Events of this order (past first, then live)",
    response_class=StreamingResponse,
    responses={200: SSE_RESPONSE, **problems(*ACCESS_ERRORS, E.VALIDATION_ERROR)},
    openapi_extra={"parameters": STREAM_PARAMETERS},
)
async def order_stream(request: Request, order_id: str) -> Response:
    _, rt, _ = await _access(request, order_id, Role.DISPLAY, allow_query=True)
    backend = backend_of(request)
    store = backend.event_store

    def read_past(cursor: int) -> list[Event]:
        return [e for e in store.read_order(order_id) if (e.seq or 0) > cursor]

    def read_known(cursor: int) -> list[Event] | None:
        """The order's events in this process's read projection (None: not heard of here)."""
        order = rt.projection.order(order_id)
        if order is None:
            return None
        return sorted((e for e in order.events if (e.seq or 0) > cursor), key=lambda e: e.seq or 0)

    return stream_response(
        rt.broadcaster, order_id, stream_cursor(request), read_past, backend.keepalive_s, read_known
    )

"""Staff endpoints on a store: the order list, walk-ups, stats, number leases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from backend import actions, schemas
from backend.auth import Credential, Role, staff, staff_name
from backend.body import json_body
from backend.openapi import body_doc
from backend.problems import ApiError
from backend.routes.common import (
    causation,
    idempotency,
    json_response,
    reply,
    responses,
    store_runtime,
    write_doc,
)
from backend.runtime import StoreRuntime, backend_of
from backend.store_jobs import lease_numbers
from backend.views import order_view, to_json
from core import commands as c
from core.errors import ErrorCode as E
from core.orders import OPEN_STATES, OrderStatus
from core.stats import store_stats

router = APIRouter(prefix="/api/v1/stores/{store}", tags=["staff"])
Store = Annotated[StoreRuntime, Depends(store_runtime)]
Barista = Annotated[Credential, Depends(staff(Role.BARISTA))]
Display = Annotated[Credential, Depends(staff(Role.DISPLAY))]
STAFF_ERRORS = (E.UNAUTHORIZED, E.FORBIDDEN, E.NOT_FOUND)
BODY_ERRORS = (E.PAYLOAD_TOO_LARGE, E.UNSUPPORTED_MEDIA_TYPE, E.VALIDATION_ERROR, E.IDEMPOTENCY_MISMATCH)
MAX_LIST = 1000
_STATE = "(?:" + "|".join(s.value for s in OrderStatus) + ")"
STATES_PATTERN = rf"^\s*{_STATE}\s*(?:,\s*{_STATE}\s*)*$"


def _states(raw: str | None) -> frozenset[OrderStatus]:
    if raw is None:
        return OPEN_STATES
    wanted = set()
    for name in (part.strip() for part in raw.split(",")):
        try:
            wanted.add(OrderStatus(name))
        except ValueError as error:
            raise ApiError(E.VALIDATION_ERROR, f"unknown state {name!r}") from error
    return frozenset(wanted)


@router.get(
    "/orders",
    summary="Orders, oldest first",
    responses=responses(200, schemas.OrderList, *STAFF_ERRORS, E.VALIDATION_ERROR),
)
async def list_orders(
    who: Display,
    rt: Store,
    state: Annotated[
        str | None,
        Query(
            description="comma-separated states (default: the open ones)",
            json_schema_extra={"pattern": STATES_PATTERN},  # documented; `_states` checks it
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
) -> Response:
    wanted = _states(state)
    source = rt.projection.open_orders() if wanted <= OPEN_STATES else rt.projection.orders()
    chosen = sorted((o for o in source if o.status in wanted), key=lambda o: (o.created_at, o.id))
    body = b'{"orders":[' + b",".join(to_json(order_view(o)) for o in chosen[:limit]) + b"]}"
    return json_response(body)


@router.post(
    "/walkups",
    summary="Enter an order for a customer at the counter",
    status_code=201,
    responses=responses(201, schemas.Order, *STAFF_ERRORS, *BODY_ERRORS, E.STORE_CLOSED),
    openapi_extra=write_doc(body_doc(schemas.WalkUpBody), barista=True),
)
async def walk_up(request: Request, who: Barista, rt: Store) -> Response:
    body, raw = await json_body(request, schemas.WalkUpBody)
    name = staff_name(request, who)
    idem = idempotency(request, who, raw, name)
    action = actions.walk_up(c.WalkUp(body.customer_name, body.item, dict(body.options)), name)
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))


@router.get("/stats", summary="Today's numbers", responses=responses(200, schemas.Stats, *STAFF_ERRORS))
async def stats(request: Request, who: Display, rt: Store) -> Response:
    now = backend_of(request).clock.now()
    return json_response(to_json(store_stats(rt.projection, now).as_dict()))


@router.post(
    "/number-leases",
    summary="Lease a block of today's order numbers to a device (for offline walk-ups)",
    status_code=201,
    responses=responses(201, schemas.Lease, *STAFF_ERRORS, *BODY_ERRORS),
    openapi_extra=write_doc(body_doc(schemas.LeaseBody)),
)
async def lease(request: Request, who: Barista, rt: Store) -> Response:
    body, raw = await json_body(request, schemas.LeaseBody)
    idem = idempotency(request, who, raw)
    action = lease_numbers(body.device, body.size)
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))

"""Store endpoints: the store object, starting orders, open/close, menu and stock, the code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import TypeAdapter
from starlette.responses import Response

from backend import actions, schemas
from backend.auth import Credential, Role, authenticator_of, require_staff, staff, staff_name
from backend.body import json_body, json_value
from backend.openapi import body_doc
from backend.problems import ApiError
from backend.routes.common import (
    causation,
    idempotency,
    json_response,
    reply,
    responses,
    start_rate_limit,
    store_runtime,
    write_doc,
)
from backend.runtime import StoreRuntime, backend_of
from backend.store_jobs import code_info
from backend.views import store_view, to_json
from core import commands as c
from core.errors import ErrorCode as E
from core.menu import Menu, MenuItem

router = APIRouter(prefix="/api/v1/stores/{store}", tags=["stores"])
Store = Annotated[StoreRuntime, Depends(store_runtime)]
Barista = Annotated[Credential, Depends(staff(Role.BARISTA))]
Admin = Annotated[Credential, Depends(staff(Role.ADMIN))]
MENU = TypeAdapter(list[MenuItem])
STOCK = TypeAdapter(schemas.ItemStockBody | schemas.ChoiceStockBody)
STAFF_ERRORS = (E.UNAUTHORIZED, E.FORBIDDEN, E.NOT_FOUND)
BODY_ERRORS = (E.PAYLOAD_TOO_LARGE, E.UNSUPPORTED_MEDIA_TYPE, E.VALIDATION_ERROR, E.IDEMPOTENCY_MISMATCH)


@router.get(
    "",
    summary="The store: open or not, menu, queue, limits",
    responses=responses(200, schemas.Store, E.NOT_FOUND),
)
async def get_store(rt: Store) -> Response:
    return json_response(to_json(store_view(rt.id, rt.projection)))


@router.post(
    "/orders",
    summary="Start an order with the booth's code",
    status_code=201,
    responses=responses(
        201,
        schemas.StartedOrder,
        E.RATE_LIMITED,
        E.NOT_FOUND,
        *BODY_ERRORS,
        E.STORE_CLOSED,
        E.INVALID_CODE,
        E.CODE_EXHAUSTED,
        E.STORE_FULL,
        E.ORDER_LIMIT,
    ),
    openapi_extra=write_doc(body_doc(schemas.StartOrderBody)),
)
async def start_order(request: Request, store: str) -> Response:
    # Inline rather than dependencies (the hottest public route): rate limit, then the store.
    await start_rate_limit(request)
    backend = backend_of(request)
    rt = backend.store(store)
    body, raw = await json_body(request, schemas.StartOrderBody)
    idem = idempotency(request, None, raw)
    command = c.StartOrder(customer_name=body.customer_name, customer_id=body.customer_id)
    action = actions.start_order(
        command, body.code, backend.code_secret, authenticator_of(request).order_tokens
    )
    return reply(await backend.execute(rt.id, action, causation(idem), idem))


async def _store_command(
    request: Request, rt: StoreRuntime, credential: Credential, command: c.Command, raw: bytes
) -> Response:
    name = staff_name(request, credential)
    idem = idempotency(request, credential, raw, name)
    action = actions.store_command(command, name)
    return reply(await backend_of(request).execute(rt.id, action, causation(idem), idem))


@router.post(
    "/open",
    summary="Open the store",
    responses=responses(200, schemas.Store, *STAFF_ERRORS, E.IDEMPOTENCY_MISMATCH),
    openapi_extra=write_doc(barista=True),
)
async def open_store(request: Request, who: Barista, rt: Store) -> Response:
    return await _store_command(request, rt, who, c.OpenStore(), b"")


@router.post(
    "/close",
    summary="Close the store to new orders",
    responses=responses(200, schemas.Store, *STAFF_ERRORS, E.IDEMPOTENCY_MISMATCH),
    openapi_extra=write_doc(barista=True),
)
async def close_store(request: Request, who: Barista, rt: Store) -> Response:
    return await _store_command(request, rt, who, c.CloseStore(), b"")


@router.put(
    "/menu",
    summary="Replace the whole menu",
    responses=responses(200, schemas.Store, *STAFF_ERRORS, *BODY_ERRORS),
    openapi_extra=write_doc(body_doc(("MenuBody", MENU)), barista=True),
)
async def put_menu(request: Request, who: Admin, rt: Store) -> Response:
    items, raw = await json_value(request, MENU)
    try:
        menu = Menu(items=tuple(items))
    except ValueError as error:
        raise ApiError(E.VALIDATION_ERROR, str(error)) from error
    return await _store_command(request, rt, who, c.ChangeMenu(menu), raw)


@router.post(
    "/stock",
    summary="Mark an item, or an option's choice, run out or back",
    responses=responses(200, schemas.Store, *STAFF_ERRORS, *BODY_ERRORS),
    openapi_extra=write_doc(body_doc(("StockBody", STOCK)), barista=True),
)
async def set_stock(request: Request, who: Barista, rt: Store) -> Response:
    body, raw = await json_value(request, STOCK)
    command: c.Command
    if isinstance(body, schemas.ItemStockBody):
        command = c.SetItemStock(body.item, body.available)
    else:
        command = c.SetChoiceStock(body.option, body.choice, body.available)
    return await _store_command(request, rt, who, command, raw)


@router.get(
    "/code",
    summary="The booth's current QR code",
    responses=responses(200, schemas.CodeInfo, *STAFF_ERRORS, E.STORE_CLOSED),
)
async def get_code(request: Request, store: str) -> Response:
    # Inline rather than dependencies: the booth screen asks for it after every order.
    require_staff(authenticator_of(request).from_request(request), Role.DISPLAY)
    backend = backend_of(request)
    rt = backend.store(store)
    if not rt.projection.is_open:
        raise ApiError(E.STORE_CLOSED, "the store is closed: no code to show")
    action = code_info(backend.code_secret, backend.settings.server.public_url)
    return reply(await backend.execute(rt.id, action, "code"))

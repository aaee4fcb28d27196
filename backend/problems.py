"""Errors as `application/problem+json` (RFC 9457), each with one of API.md's stable codes."""

from __future__ import annotations

import re
from typing import Any

import pydantic_core
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from core.errors import HTTP_STATUS, TITLES, ErrorCode, Rejected

PROBLEM_TYPE = "/docs#errors-"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiError(Exception):
    """An error answer. Raised anywhere in a request; turned into a problem response."""

    def __init__(self, code: ErrorCode, detail: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or TITLES[code])
        self.code = code
        self.detail = detail or TITLES[code]
        self.headers = headers or {}

    @classmethod
    def of(cls, rejected: Rejected) -> ApiError:
        return cls(rejected.code, rejected.detail)

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]


class Fault(Exception):
    """A request that failed for a reason other than the rules (a bug, the database): 500."""


def problem_body(code: ErrorCode, detail: str) -> bytes:
    return pydantic_core.to_json(
        {
            "type": PROBLEM_TYPE + code.value,
            "title": TITLES[code],
            "status": HTTP_STATUS[code],
            "detail": detail,
            "code": code.value,
        }
    )


def problem_response(code: ErrorCode, detail: str = "", headers: dict[str, str] | None = None) -> Response:
    return Response(
        problem_body(code, detail or TITLES[code]),
        status_code=HTTP_STATUS[code],
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def describe_errors(errors: Any) -> str:
    """The first validation error in plain words: `limit: Input should be a valid integer`."""
    for error in errors:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        message = str(error.get("msg", "invalid value"))
        return f"{location}: {message}" if location else message
    return "invalid request"


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return problem_response(error.code, error.detail, error.headers)


async def _rejected(request: Request, error: Exception) -> Response:
    assert isinstance(error, Rejected)
    return problem_response(error.code, error.detail)


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return problem_response(ErrorCode.VALIDATION_ERROR, describe_errors(error.errors()))


def _allowed_methods(request: Request) -> set[str]:
    """The methods the API documents for this path (one path's routes may live in different
    routers, so the router's own 405 names only some of them)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(request.app.state, "allow_table", None)
    if table is None:
        table = []
        for template, operations in request.app.openapi().get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            table.append((pattern, {method.upper() for method in operations}))
        request.app.state.allow_table = table
    path = request.url.path
    return {method for pattern, methods in table if pattern.match(path) for method in methods}


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 405:
        allowed = ", ".join(sorted(_allowed_methods(request)))
        return problem_response(ErrorCode.METHOD_NOT_ALLOWED, headers={"Allow": allowed})
    if error.status_code == 404:
        return problem_response(ErrorCode.NOT_FOUND, "no such resource")
    code = {
        401: ErrorCode.UNAUTHORIZED,
        403: ErrorCode.FORBIDDEN,
        413: ErrorCode.PAYLOAD_TOO_LARGE,
        415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        422: ErrorCode.VALIDATION_ERROR,
        429: ErrorCode.RATE_LIMITED,
    }.get(error.status_code, ErrorCode.VALIDATION_ERROR)
    return problem_response(code, str(error.detail))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(Rejected, _rejected)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Fault, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "enum": [*(c.value for c in ErrorCode), "internal_error"]},
    },
}


def problems(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error codes an endpoint can answer."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(HTTP_STATUS[code], []).append(code.value)
    return {
        status: {
            "description": ", ".join(names),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status, names in sorted(by_status.items())
    }


INTERNAL_CODE = "internal_error"


async def _unexpected(request: Request, error: Exception) -> Response:
    return internal_response()


def internal_response() -> Response:
    """A bug or a broken database: a plain 500 problem, never a stack trace."""
    body = pydantic_core.to_json(
        {
            "type": PROBLEM_TYPE + INTERNAL_CODE,
            "title": "Internal error",
            "status": 500,
            "detail": "the server could not complete the request; it is safe to retry",
            "code": INTERNAL_CODE,
        }
    )
    return Response(body, status_code=500, media_type=PROBLEM_MEDIA_TYPE)

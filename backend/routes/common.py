"""What the routes share: answering with writer replies, idempotency keys, the store and
rate-limit dependencies, and the headers the OpenAPI page documents."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from backend.auth import PUBLIC_SCOPE, Credential
from backend.body import request_hash, url_path
from backend.problems import ApiError
from backend.runtime import Backend, StoreRuntime, backend_of
from backend.sse import parse_after, resume_cursor
from backend.writer import Idempotency, Reply
from core.errors import ErrorCode
from core.ids import new_id

JSON = "application/json"
KEY_MAX = 200

# Headers the writes read themselves, declared for the OpenAPI page only (no per-request cost).
IDEMPOTENCY_HEADER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    "description": "Makes a retry safe: the same key and body give the first answer again.",
}
BARISTA_HEADER: dict[str, Any] = {
    "name": "X-Barista",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The staff member's name (default: the role name); at most 40 characters once cleaned.",
}


# The event streams' parameters, read by the routes themselves (FastAPI's per-request
# parameter handling cost more than a stream's whole set-up); declared for the OpenAPI page.
STREAM_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "after",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "resume after this seq (a whole number)",
    },
    {
        "name": "Last-Event-ID",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "where a reconnecting EventSource resumes (wins over after)",
    },
    {
        "name": "access_token",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "the token, for EventSource",
    },
]


def stream_cursor(request: Request) -> int:
    """Where a stream starts: Last-Event-ID, else `after` (422 when that is not a number)."""
    after = parse_after(request.query_params.get("after"))
    return resume_cursor(after, request.headers.get("last-event-id"))


def write_doc(body: dict[str, Any] | None = None, barista: bool = False) -> dict[str, Any]:
    """`openapi_extra` for a POST/PUT: its body (see `backend.openapi.body_doc`) and headers."""
    extra = dict(body or {})
    extra["parameters"] = [IDEMPOTENCY_HEADER, *([BARISTA_HEADER] if barista else [])]
    return extra


def reply(result: Reply) -> Response:
    return Response(result.body, status_code=result.status, media_type=JSON)


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON)


def idempotency(
    request: Request, credential: Credential | None, raw: bytes, *extra: str
) -> Idempotency | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    # (The HTTP parser has already dropped the spaces around a header's value; what is left
    # is the key, exactly as the OpenAPI page's minLength/maxLength describe it.)
    if not 1 <= len(key) <= KEY_MAX:
        raise ApiError(ErrorCode.VALIDATION_ERROR, f"Idempotency-Key must be 1 to {KEY_MAX} characters")
    scope = credential.scope if credential is not None else PUBLIC_SCOPE
    return Idempotency(
        f"{scope} {request.method} {url_path(request)}", key, request_hash(request, raw, *extra)
    )


def causation(idem: Idempotency | None) -> str:
    """The id of this command on its events: the Idempotency-Key, else a new id."""
    return idem.key if idem is not None else new_id()


async def store_runtime(request: Request, store: str) -> StoreRuntime:
    """Dependency: the store named in the path (404 when this backend does not serve it)."""
    return backend_of(request).store(store)


async def start_rate_limit(request: Request) -> None:
    """Dependency: order starts per client address (429 `rate_limited`)."""
    backend: Backend = backend_of(request)
    address = request.client.host if request.client else "unknown"
    if not backend.rate_limiter.allow(address):
        retry = str(backend.rate_limiter.retry_after(address))
        raise ApiError(
            ErrorCode.RATE_LIMITED, "too many orders from this address; wait a minute", {"Retry-After": retry}
        )


def responses(success: int, model: type[Any], *codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    from backend.problems import problems

    return {success: {"model": model, "description": "OK"}, **problems(*codes)}

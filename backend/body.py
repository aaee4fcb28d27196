"""Reading a request body ourselves, after authentication (API.md's precedence: 401/403,
then 429, then 404, then 413/415, then 422), with the 64 KiB limit enforced while reading."""

from __future__ import annotations

import hashlib
import json
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import ClientDisconnect

from backend.problems import ApiError, describe_errors
from core.errors import ErrorCode

MAX_BODY = 64 * 1024
B = TypeVar("B", bound=BaseModel)
T = TypeVar("T")


async def read_body(request: Request) -> bytes:
    """The raw body, at most 64 KiB (413 beyond, whatever Content-Length claimed)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise ApiError(ErrorCode.PAYLOAD_TOO_LARGE, f"request bodies are limited to {MAX_BODY} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise ApiError(ErrorCode.PAYLOAD_TOO_LARGE, f"request bodies are limited to {MAX_BODY} bytes")
            chunks.append(chunk)
    except ClientDisconnect as gone:  # hung up mid-body: nothing to do, and nothing to log
        raise ApiError(ErrorCode.VALIDATION_ERROR, "the client left before the body ended") from gone
    return b"".join(chunks)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def _json_bytes(request: Request, optional: bool) -> bytes:
    raw = await read_body(request)
    content_type = request.headers.get("content-type")
    if not raw.strip():
        if optional:
            return raw
        if content_type and not _is_json(content_type):
            raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json")
        raise ApiError(ErrorCode.VALIDATION_ERROR, "a JSON body is required")
    if not _is_json(content_type):
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json")
    return raw


async def json_body(request: Request, model: type[B]) -> tuple[B, bytes]:
    """Read, check and validate the body; returns it and the raw bytes (for idempotency)."""
    raw = await _json_bytes(request, optional=False)
    try:
        return model.model_validate_json(raw), raw
    except ValidationError as error:
        raise ApiError(ErrorCode.VALIDATION_ERROR, describe_errors(error.errors())) from error


async def optional_json_body(request: Request, model: type[B]) -> tuple[B | None, bytes]:
    """Like `json_body`, for an endpoint whose body may be left out."""
    raw = await _json_bytes(request, optional=True)
    if not raw.strip():
        return None, raw
    try:
        return model.model_validate_json(raw), raw
    except ValidationError as error:
        raise ApiError(ErrorCode.VALIDATION_ERROR, describe_errors(error.errors())) from error


async def json_value(request: Request, adapter: TypeAdapter[T]) -> tuple[T, bytes]:
    """A body that is not a single model (a list, a union)."""
    raw = await _json_bytes(request, optional=False)
    try:
        return adapter.validate_json(raw), raw
    except ValidationError as error:
        raise ApiError(ErrorCode.VALIDATION_ERROR, describe_errors(error.errors())) from error


def url_path(request: Request) -> str:
    """`request.url.path` without building the whole URL (it is parsed anew on every call)."""
    return str(request.scope["path"]).replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


def request_hash(request: Request, raw: bytes, *extra: str) -> str:
    """What makes two requests "the same" for an Idempotency-Key: method, path, the body's
    JSON (whitespace and key order ignored when it parses) and the staff name."""
    try:
        canonical = (
            json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
            if raw.strip()
            else b""
        )
    except ValueError:
        canonical = raw
    digest = hashlib.sha256()
    for part in (request.method, url_path(request), *extra):
        digest.update(part.encode() + b"\0")
    digest.update(canonical)
    return digest.hexdigest()

"""Typed rejections. Each maps to one stable error code and HTTP status of API.md."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID_CODE = "invalid_code"
    CODE_EXHAUSTED = "code_exhausted"
    RATE_LIMITED = "rate_limited"
    STORE_CLOSED = "store_closed"
    STORE_FULL = "store_full"
    ORDER_LIMIT = "order_limit"
    INVALID_TRANSITION = "invalid_transition"
    ALREADY_CLAIMED = "already_claimed"
    VALIDATION_ERROR = "validation_error"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_CODE: 403,
    ErrorCode.CODE_EXHAUSTED: 429,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.STORE_CLOSED: 409,
    ErrorCode.STORE_FULL: 409,
    ErrorCode.ORDER_LIMIT: 409,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.ALREADY_CLAIMED: 409,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.IDEMPOTENCY_MISMATCH: 422,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
}

TITLES: dict[ErrorCode, str] = {
    ErrorCode.UNAUTHORIZED: "Missing or unknown token",
    ErrorCode.FORBIDDEN: "Not allowed with this token",
    ErrorCode.NOT_FOUND: "Not found",
    ErrorCode.INVALID_CODE: "Unknown or expired code",
    ErrorCode.CODE_EXHAUSTED: "This code is used up",
    ErrorCode.RATE_LIMITED: "Too many requests",
    ErrorCode.STORE_CLOSED: "The store is closed",
    ErrorCode.STORE_FULL: "The queue is full",
    ErrorCode.ORDER_LIMIT: "You already have an open order",
    ErrorCode.INVALID_TRANSITION: "The order cannot do that now",
    ErrorCode.ALREADY_CLAIMED: "Another barista has this order",
    ErrorCode.VALIDATION_ERROR: "Invalid request",
    ErrorCode.IDEMPOTENCY_MISMATCH: "Idempotency key reused with another body",
    ErrorCode.PAYLOAD_TOO_LARGE: "Request body too large",
    ErrorCode.METHOD_NOT_ALLOWED: "Method not allowed",
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: "Body must be JSON",
}


class Rejected(Exception):
    """A command the rules refuse. `code` is the API's error code; `detail` says why."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.detail = detail or TITLES[code]

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

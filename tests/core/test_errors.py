"""Rejections carry API.md's stable error codes and HTTP statuses."""

from __future__ import annotations

from core.errors import HTTP_STATUS, TITLES, ErrorCode, Rejected

# API.md, "Error codes".
API_CODES = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "invalid_code": 403,
    "code_exhausted": 429,
    "rate_limited": 429,
    "store_closed": 409,
    "store_full": 409,
    "order_limit": 409,
    "invalid_transition": 409,
    "already_claimed": 409,
    "validation_error": 422,
    "idempotency_mismatch": 422,
    "payload_too_large": 413,
    "method_not_allowed": 405,
    "unsupported_media_type": 415,
}


def test_every_api_error_code_exists_with_its_status_and_a_title() -> None:
    assert {str(code): HTTP_STATUS[code] for code in ErrorCode} == API_CODES
    assert all(TITLES[code] for code in ErrorCode)


def test_a_rejection_says_its_code_status_and_why() -> None:
    rejection = Rejected(ErrorCode.STORE_FULL, "the queue is full")
    assert (rejection.code, rejection.status, rejection.detail) == ("store_full", 409, "the queue is full")
    assert "store_full" in str(rejection)
    assert Rejected(ErrorCode.ORDER_LIMIT).detail == TITLES[ErrorCode.ORDER_LIMIT]

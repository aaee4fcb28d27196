"""Who is asking: staff tokens with roles, and stateless order tokens.

An order token is `<order id>.<HMAC of the order id>`: every process that shares the database
shares the secret, so a token made by one process is good on all of them, and nothing needs
to be stored. All comparisons are constant-time.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum

from fastapi import Request

from backend.problems import ApiError
from core.config import AuthConfig
from core.decider import NAME_MAX
from core.errors import ErrorCode
from core.text import clean_text


class Role(IntEnum):
    """Staff roles; each can do all that the roles below it can."""

    DISPLAY = 1
    BARISTA = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Credential:
    """A checked token: a staff role, or one order (customer)."""

    role: Role | None = None
    order_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    @property
    def scope(self) -> str:
        """What idempotency keys are scoped to (never the token itself)."""
        return f"staff:{self.role.label}" if self.role else f"order:{self.order_id}"


PUBLIC_SCOPE = "public"


class OrderTokens:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, order_id: str) -> str:
        digest = hmac.new(self._secret, order_id.encode(), hashlib.sha256).digest()[:24]
        return base64.urlsafe_b64encode(digest).decode("ascii")

    def issue(self, order_id: str) -> str:
        return f"{order_id}.{self._mac(order_id)}"

    def verify(self, token: str) -> str | None:
        """The order id a genuine token names, else None."""
        order_id, dot, mac = token.rpartition(".")
        if not dot or not order_id:
            return None
        return order_id if hmac.compare_digest(self._mac(order_id), mac) else None


class Authenticator:
    def __init__(self, auth: AuthConfig, order_tokens: OrderTokens) -> None:
        self._staff = (
            (auth.admin_token.encode(), Role.ADMIN),
            (auth.barista_token.encode(), Role.BARISTA),
            (auth.display_token.encode(), Role.DISPLAY),
        )
        self.order_tokens = order_tokens

    def check(self, token: str) -> Credential | None:
        raw = token.encode()
        role = None
        for secret, candidate in self._staff:
            if hmac.compare_digest(secret, raw) and role is None:  # no early exit: constant time
                role = candidate
        if role is not None:
            return Credential(role=role)
        order_id = self.order_tokens.verify(token)
        return Credential(order_id=order_id) if order_id else None

    def from_request(self, request: Request, allow_query: bool = False) -> Credential | None:
        """The request's credential, None without one; an unknown token is 401."""
        token = _bearer(request.headers.get("authorization"))
        if token is None and allow_query:
            token = request.query_params.get("access_token")
        if token is None:
            return None
        credential = self.check(token)
        if credential is None:
            raise ApiError(ErrorCode.UNAUTHORIZED, "unknown or malformed token")
        return credential


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(ErrorCode.UNAUTHORIZED, "use Authorization: Bearer <token>")
    return token.strip()


def require_staff(credential: Credential | None, role: Role) -> Credential:
    if credential is None:
        raise ApiError(ErrorCode.UNAUTHORIZED, "this needs a staff token")
    if credential.role is None:
        raise ApiError(ErrorCode.FORBIDDEN, "an order token cannot do this")
    if credential.role < role:
        raise ApiError(ErrorCode.FORBIDDEN, f"this needs the {role.label} role")
    return credential


def staff_name(request: Request, credential: Credential) -> str:
    """The staff member's name: the X-Barista header, cleaned, else the role name."""
    raw = request.headers.get("x-barista", "")
    # HTTP headers arrive as latin-1; a UTF-8 name ("Zoë") is re-read as UTF-8.
    with contextlib.suppress(UnicodeError):
        raw = raw.encode("latin-1").decode("utf-8")
    name = clean_text(raw)
    if len(name) > NAME_MAX:
        raise ApiError(ErrorCode.VALIDATION_ERROR, f"X-Barista must be at most {NAME_MAX} characters")
    if name:
        return name
    return credential.role.label if credential.role else "staff"


def authenticator_of(request: Request) -> Authenticator:
    auth: Authenticator = request.app.state.backend.authenticator
    return auth


def staff(role: Role, allow_query: bool = False) -> Callable[[Request], Awaitable[Credential]]:
    """A dependency: the request must carry a staff token of at least `role`."""

    async def dependency(request: Request) -> Credential:
        return require_staff(authenticator_of(request).from_request(request, allow_query), role)

    return dependency

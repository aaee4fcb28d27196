"""The backend's HTTP API as the sync client uses it, with failures sorted by what they mean.

- `Unreachable`: nothing reached the backend (no connection): safe to decide locally.
- `OutcomeUnknown`: the request may or may not have taken effect (the link broke after it
  was sent, or the backend failed): keep it and send it again with the same key.
- `Refused`: the backend answered no (a 4xx problem); `code` is the API's error code.

The HTTP is our own (`http_client`, on asyncio streams): httpx with httpcore, anyio and h11
cost the apps ~70 ms of CPU and ~10 MiB on their way to the first screen.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import quote

from core.errors import ErrorCode
from core.events import Event
from core.sync.http_client import ConnectFailed, HttpClient
from core.sync.http_wire import AnswerLost, Response, lines_of
from core.sync.unknown_events import UnknownEvents

API = "/api/v1"


class Unreachable(Exception):
    """The backend could not be reached; the request was not sent."""


class OutcomeUnknown(Exception):
    """The request was sent but no answer came back (or the backend failed)."""


class Refused(Exception):
    def __init__(self, status: int, code: ErrorCode | None, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except ConnectFailed as error:
        raise Unreachable(str(error)) from error
    except AnswerLost as error:
        raise OutcomeUnknown(str(error)) from error


def refusal(response: Response) -> Exception:
    """The exception a non-2xx response stands for."""
    if response.status >= 500 or response.status == 408:
        return OutcomeUnknown(f"the server answered {response.status}")
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    try:
        code: ErrorCode | None = ErrorCode(str(problem.get("code")))
    except ValueError:
        code = None
    detail = str(problem.get("detail") or problem.get("title") or response.reason)
    return Refused(response.status, code, detail)


def q(part: str) -> str:
    return quote(part, safe="")


class BackendApi:
    def __init__(
        self,
        server: str,
        store: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        connect_timeout_s: float = 2.0,
    ) -> None:
        self.server = server.rstrip("/")
        self.store = store
        self.store_path = f"{API}/stores/{q(store)}"
        self.unknown = UnknownEvents()  # kinds of events a newer backend may send
        self._http = HttpClient(
            self.server,
            {"Authorization": f"Bearer {token}"},
            timeout_s=timeout_s,
            connect_timeout_s=connect_timeout_s,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> Any:
        """One request (the whole of it within `timeout_s`, the client's 5 s by default); the
        decoded JSON answer of a 2xx, else one of the three failures."""
        all_headers = dict(headers or {})
        if key is not None:
            all_headers["Idempotency-Key"] = key
        body = None
        if json is not None:
            all_headers["Content-Type"] = "application/json"
            body = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
        with _translated():
            response = await self._http.request(
                method, path, params=params, body=body, headers=all_headers, timeout_s=timeout_s
            )
        if not 200 <= response.status < 300:
            raise refusal(response)
        return response.json() if response.body else None

    async def store_info(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.send("GET", self.store_path)
        return result

    async def events_page(self, after: int, limit: int = 500) -> tuple[list[Event], int]:
        raw = await self.send("GET", f"{self.store_path}/events", params={"after": after, "limit": limit})
        parsed = (self.unknown.parse(e) for e in raw["events"])
        return [e for e in parsed if e is not None], int(raw.get("last_seq", after))

    async def push(self, events: Sequence[Event], key: str) -> dict[str, Any]:
        body = {"events": [e.model_dump(mode="json", exclude={"seq"}) for e in events]}
        result: dict[str, Any] = await self.send("POST", f"{self.store_path}/events", json=body, key=key)
        return result

    async def lease(self, device: str, size: int, key: str) -> tuple[int, int]:
        raw = await self.send(
            "POST", f"{self.store_path}/number-leases", json={"device": device, "size": size}, key=key
        )
        return int(raw["start"]), int(raw["end"])

    async def code(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.send("GET", f"{self.store_path}/code")
        return result

    async def healthy(self, timeout_s: float) -> bool:
        try:
            await self.send("GET", "/healthz", timeout_s=timeout_s)
        except (Unreachable, OutcomeUnknown, Refused):
            return False
        return True

    @asynccontextmanager
    async def stream_lines(
        self, after: int, *, read_timeout_s: float, params: dict[str, Any] | None = None
    ) -> AsyncIterator[AsyncIterator[str]]:
        """The store's event stream from `after`, as lines. A read that waits longer than
        `read_timeout_s` for any byte (events or keep-alive comments) raises `OutcomeUnknown`."""
        with _translated():
            async with self._http.stream(
                "GET",
                f"{self.store_path}/events/stream",
                params={"after": after, **(params or {})},
                headers={"Accept": "text/event-stream"},
                read_timeout_s=read_timeout_s,
            ) as (head, body):
                if head.status != 200:
                    head.body = b"".join([piece async for piece in body])
                    raise refusal(head)
                yield lines_of(body)

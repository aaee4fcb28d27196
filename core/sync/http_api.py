"""The backend's HTTP API as the sync client uses it, with failures sorted by what they mean.

- `Unreachable`: nothing reached the backend (no connection): safe to decide locally.
- `OutcomeUnknown`: the request may or may not have taken effect (the link broke after it
  was sent, or the backend failed): keep it and send it again with the same key.
- `Refused`: the backend answered no (a 4xx problem); `code` is the API's error code.

httpx is imported on the first request, not with this module: it costs ~45 ms and ~6 MiB,
and an app shows its replica before it asks the backend anything.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from core.errors import ErrorCode
from core.events import Event
from core.sync.unknown_events import UnknownEvents

if TYPE_CHECKING:
    import httpx

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
    import httpx  # loaded already: a request is being made

    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise Unreachable(str(error) or type(error).__name__) from error
    except httpx.HTTPError as error:
        raise OutcomeUnknown(str(error) or type(error).__name__) from error


def refusal(response: httpx.Response) -> Exception:
    """The exception a non-2xx response stands for."""
    if response.status_code >= 500 or response.status_code == 408:
        return OutcomeUnknown(f"the server answered {response.status_code}")
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
    detail = str(problem.get("detail") or problem.get("title") or response.reason_phrase)
    return Refused(response.status_code, code, detail)


def q(part: str) -> str:
    return quote(part, safe="")


def tls_verification(server: str) -> ssl.SSLContext | bool:
    """What the client checks TLS with. httpx loads its CA bundle into every client it makes
    (~30 ms, ~3 MiB), even for a plain-http backend that never speaks TLS; there, a context
    that trusts no one, so a TLS connection would fail rather than go unchecked."""
    if server.lower().startswith("https:"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class BackendApi:
    def __init__(
        self,
        server: str,
        store: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        connect_timeout_s: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.server = server.rstrip("/")
        self.store = store
        self.store_path = f"{API}/stores/{q(store)}"
        self.unknown = UnknownEvents()  # kinds of events a newer backend may send
        self._token = token
        self._timeout_s = timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool, made for the first request."""
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                base_url=self.server,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=httpx.Timeout(self._timeout_s, connect=self._connect_timeout_s),
                transport=self._transport,
                verify=tls_verification(self.server),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

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
        """One request; the decoded JSON answer of a 2xx, else one of the three failures."""
        # UTF-8 header values: a barista may be called Zoë (the backend reads them so).
        all_headers = {name.encode(): value.encode() for name, value in (headers or {}).items()}
        if key is not None:
            all_headers[b"Idempotency-Key"] = key.encode()
        http = self._http
        import httpx

        timeout: httpx.Timeout | httpx._client.UseClientDefault = httpx.USE_CLIENT_DEFAULT
        if timeout_s:
            timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, self._connect_timeout_s))
        with _translated():
            response = await http.request(
                method,
                path,
                json=json,
                headers=all_headers,
                params=params,
                timeout=timeout,
            )
        if not response.is_success:
            raise refusal(response)
        return response.json() if response.content else None

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
        http = self._http
        import httpx

        timeout = httpx.Timeout(self._connect_timeout_s, read=read_timeout_s)
        with _translated():
            async with http.stream(
                "GET",
                f"{self.store_path}/events/stream",
                params={"after": after, **(params or {})},
                headers={"Accept": "text/event-stream"},
                timeout=timeout,
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise refusal(response)
                yield response.aiter_lines()

"""What a client sees from a newer backend: the real backend, plus one event of a type this
version does not know ("OrderRefunded"), in the event pages and in the live stream.

    async with NewerBackend(server.url) as newer:   # clients use newer.url
        ...
        newer.stream_connections                    # how often clients opened the stream

Every request is passed to the real backend; the page of events and the stream each get the
future event once, right after the first event they carry.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

FUTURE_TYPE = "OrderRefunded"
HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


def future_event(after: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"future-{after['id']}",
        "seq": after["seq"],
        "store": after["store"],
        "type": FUTURE_TYPE,
        "time": datetime.now(UTC).isoformat(),
        "order_id": after.get("order_id"),
        "actor": "newer-backend",
        "origin": "backend",
        "data": {"amount": "3.50"},
    }


class NewerBackend:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.stream_connections = 0
        self._page_done = False
        self._stream_done = False
        self._client = httpx.AsyncClient(base_url=upstream, timeout=httpx.Timeout(30, read=None))
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._socket = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(self._app, log_level="warning", lifespan="off", interface="asgi3")
        self._server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> NewerBackend:
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
        await self._client.aclose()
        self._socket.close()

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        path = request.url.path
        if request.method == "GET" and path.endswith("/events/stream"):
            response: Response = await self._stream(request)
        else:
            page = request.method == "GET" and path.endswith("/events")
            response = await self._forward(request, inject=page)
        await response(scope, receive, send)

    def _upstream(self, request: Request) -> httpx.Request:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return self._client.build_request(request.method, url, headers=headers)

    async def _forward(self, request: Request, inject: bool) -> Response:
        upstream = self._upstream(request)
        upstream = self._client.build_request(
            upstream.method, upstream.url, headers=upstream.headers, content=await request.body()
        )
        answer = await self._client.send(upstream)
        body = answer.content
        if inject and answer.status_code == 200 and not self._page_done:
            page = answer.json()
            if page["events"]:
                self._page_done = True
                page["events"].insert(1, future_event(page["events"][0]))
                body = json.dumps(page).encode()
        dropped = HOP_BY_HOP | {"content-encoding"}
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in dropped}
        return Response(body, status_code=answer.status_code, headers=headers)

    async def _stream(self, request: Request) -> Response:
        self.stream_connections += 1
        answer = await self._client.send(self._upstream(request), stream=True)
        if answer.status_code != 200:
            await answer.aread()
            return Response(answer.content, status_code=answer.status_code, headers=dict(answer.headers))

        async def messages() -> AsyncIterator[bytes]:
            try:
                message: list[str] = []
                async for line in answer.aiter_lines():
                    yield (line + "\n").encode()
                    if line:
                        message.append(line)
                        continue
                    data = [m[len("data: ") :] for m in message if m.startswith("data: ")]
                    message = []
                    if data and not self._stream_done:
                        self._stream_done = True
                        future = future_event(json.loads(data[0]))
                        yield (
                            f"id: {future['seq']}\nevent: {FUTURE_TYPE}\ndata: {json.dumps(future)}\n\n"
                        ).encode()
            finally:
                await answer.aclose()

        return StreamingResponse(messages(), media_type="text/event-stream")

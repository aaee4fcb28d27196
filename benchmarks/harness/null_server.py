"""A do-nothing server that speaks just enough of the API for the load generator: canned
answers, and event streams that carry an event for each step the moment it is asked for.
Run against it, the load generator shows its own ceiling (it runs in its own process, as
the real server does).

    python -m benchmarks.harness.null_server      # prints "port N", serves until killed
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
from datetime import UTC, datetime

SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)


def answer(status: int, body: bytes) -> bytes:
    return b"HTTP/1.1 %d X\r\ncontent-length: %d\r\ncontent-type: application/json\r\n\r\n%s" % (
        status,
        len(body),
        body,
    )


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class NullApi:
    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.seq = itertools.count(1)
        self.store_streams: list[asyncio.StreamWriter] = []
        self.order_streams: dict[str, asyncio.StreamWriter] = {}
        self.completed: set[str] = set()

    def event(self, kind: str, order_id: str) -> bytes:
        body = {
            "id": f"e{order_id}{kind}",
            "seq": next(self.seq),
            "store": "booth",
            "type": kind,
            "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "order_id": order_id,
            "actor": "customer",
            "origin": "backend",
            "causation_id": "c" * 32,
            "data": {"number": 1, "item": "latte", "options": {"milk": "Oat", "size": "Small"}},
        }
        data = json.dumps(body, separators=(",", ":")).encode()  # compact, as pydantic writes it
        return chunk(b"id: %d\nevent: %s\ndata: %s\n\n" % (body["seq"], kind.encode(), data))

    def publish(self, kind: str, order_id: str) -> None:
        message = self.event(kind, order_id)
        for writer in self.store_streams:
            writer.write(message)
        if kind == "OrderCompleted":
            self.completed.add(order_id)
            follower = self.order_streams.pop(order_id, None)
            if follower is not None:
                follower.write(message)

    def route(self, method: bytes, path: str, writer: asyncio.StreamWriter) -> bytes | None:
        """The answer, or None for a stream (kept open on `writer`)."""
        if path.endswith("/events/stream") or "/events/stream?" in path:
            writer.write(SSE_HEAD + chunk(b": connected\n\n"))
            self.store_streams.append(writer)
            return None
        if "/stream" in path:
            order_id = path.split("/")[4]
            writer.write(SSE_HEAD + chunk(b": connected\n\n"))
            if order_id in self.completed:
                writer.write(self.event("OrderCompleted", order_id))
            else:
                self.order_streams[order_id] = writer
            return None
        if path.endswith("/code"):
            return answer(200, b'{"code":"c0de","url":"u","expires_at":"2030-01-01T00:00:00Z","remaining":9}')
        if method == b"POST" and path.endswith("/orders"):
            order_id = f"n{next(self.ids)}"
            return answer(
                201,
                b'{"order":{"id":"%s","state":"started"},"order_token":"%s.t"}'
                % (order_id.encode(), order_id.encode()),
            )
        if path.endswith("/drink"):
            order_id = path.split("/")[4]
            self.publish("OrderPlaced", order_id)
            return answer(200, b'{"id":"%s","state":"queued","number":1}' % order_id.encode())
        for step, kind in (("/claim", "OrderClaimed"), ("/complete", "OrderCompleted")):
            if path.endswith(step):
                order_id = path.split("/")[4]
                self.publish(kind, order_id)
                return answer(200, b'{"id":"%s"}' % order_id.encode())
        return answer(200, b'{"status":"ok"}')

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lower = head.lower()
                at = lower.find(b"\r\ncontent-length:")
                if at >= 0:
                    end = lower.index(b"\r\n", at + 2)
                    await reader.readexactly(int(lower[at + 17 : end]))
                method, path = head.split(b" ", 2)[:2]
                out = self.route(method, path.decode(), writer)
                if out is None:
                    await reader.read()  # a stream: until the client leaves
                    if writer in self.store_streams:
                        self.store_streams.remove(writer)
                    return
                writer.write(out)


async def main() -> None:
    api = NullApi()
    server = await asyncio.start_server(api.serve, "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

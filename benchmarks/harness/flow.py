"""The simulated people of a rush: phones doing the whole customer flow, baristas following
their store's event stream and claiming and completing what is theirs.

A phone: get the code (what the booth's QR code shows), start an order with it, choose a
drink, then follow the order's own stream until it is completed; then again. Every POST and
PUT carries its own Idempotency-Key, with the token it needs (none to start, the order
token for the drink and the order stream, the barista token for claim and complete).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass

from benchmarks.harness.rawhttp import Connection, HttpError, request_bytes
from benchmarks.harness.rawsse import SseStream
from benchmarks.harness.recorder import Recorder

DRINK = json.dumps({"item": "latte", "options": {"milk": "Oat", "size": "Large"}}).encode()


@dataclass(frozen=True)
class Target:
    """One server (host, port), one store on it, and the staff tokens."""

    host: str
    port: int
    store: str
    barista_token: str
    display_token: str


def key() -> str:
    return uuid.uuid4().hex


async def timed(recorder: Recorder, step: str, call: Awaitable[tuple[int, bytes]]) -> tuple[int, bytes]:
    started = time.perf_counter()
    status, body = await call
    recorder.request(step, time.perf_counter() - started)
    return status, body


async def phone(name: str, target: Target, recorder: Recorder, tickets: asyncio.Queue[None] | None) -> None:
    """Order, wait for the drink, order again, until cancelled. `tickets`: wait for one
    before each order (a paced rush); None: flat out."""
    conn = await Connection.open(target.host, target.port)
    get_code = request_bytes("GET", f"/api/v1/stores/{target.store}/code", token=target.display_token)
    start_path = f"/api/v1/stores/{target.store}/orders"
    start_body = {"customer_name": name, "customer_id": f"bench-{name}-{key()}"}
    try:
        while True:
            if tickets is not None:
                await tickets.get()
            began = time.perf_counter()
            status, body = await timed(recorder, "code", conn.send(get_code))
            if status != 200:
                raise HttpError(f"code: {status} {body[:200]!r}")
            start = json.dumps({**start_body, "code": json.loads(body)["code"]}).encode()
            status, body = await timed(recorder, "start", conn.request("POST", start_path, start, key=key()))
            if status != 201:
                raise HttpError(f"start: {status} {body[:200]!r}")
            started = json.loads(body)
            order_id, token = started["order"]["id"], started["order_token"]
            drink = conn.request("PUT", f"/api/v1/orders/{order_id}/drink", DRINK, token=token, key=key())
            status, body = await timed(recorder, "drink", drink)
            if status != 200:
                raise HttpError(f"drink: {status} {body[:200]!r}")
            recorder.order_placed(order_id)
            await follow_order(target, order_id, token)
            recorder.lifecycle(time.perf_counter() - began)
    finally:
        conn.close()


async def follow_order(target: Target, order_id: str, token: str) -> None:
    """The phone's order stream, until the order is completed."""
    path = f"/api/v1/orders/{order_id}/stream?access_token={token}"
    stream = await SseStream.open(target.host, target.port, path)
    done = False

    def on_message(kind: bytes, data: bytes) -> None:
        nonlocal done
        done = done or kind == b"OrderCompleted"

    try:
        await stream.follow(on_message, until=lambda: done)
    finally:
        stream.close()


class Barista:
    """Follows the store stream; claims and completes the orders that fall to it (one in
    `team` by order id), over `connections` keep-alive connections of its own."""

    def __init__(
        self, name: str, index: int, team: int, target: Target, recorder: Recorder, connections: int = 8
    ) -> None:
        self.name, self.index, self.team = name, index, team
        self.target = target
        self.recorder = recorder
        self.connections = connections
        self.work: asyncio.Queue[str] = asyncio.Queue()
        self.seen = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, stream_target: Target | None = None) -> None:
        """Open the stream (on `stream_target`, default: the barista's own server) and the
        command connections; returns once the stream is open."""
        where = stream_target or self.target
        path = f"/api/v1/stores/{where.store}/events/stream"
        stream = await SseStream.open(where.host, where.port, path, token=where.barista_token)
        self._tasks.append(asyncio.create_task(self._follow(stream)))
        for _ in range(self.connections):
            conn = await Connection.open(self.target.host, self.target.port)
            self._tasks.append(asyncio.create_task(self._work(conn)))

    async def _follow(self, stream: SseStream) -> None:
        def on_message(kind: bytes, data: bytes) -> None:
            self.seen += 1
            order_id = self.recorder.stream_event(self.name, kind, data)
            if kind == b"OrderPlaced" and hash(order_id) % self.team == self.index:
                self.work.put_nowait(order_id)

        try:
            await stream.follow(on_message)
        finally:
            stream.close()

    async def _work(self, conn: Connection) -> None:
        extra = f"X-Barista: {self.name}\r\n"
        token = self.target.barista_token
        try:
            while True:
                order_id = await self.work.get()
                for step in ("claim", "complete"):
                    raw = request_bytes("POST", f"/api/v1/orders/{order_id}/{step}", b"", token, key(), extra)
                    status, _ = await timed(self.recorder, step, conn.send(raw))
                    if status != 200:
                        self.recorder.error(f"{step} {status}")
                        break
        finally:
            conn.close()

    async def stop(self) -> None:
        await cancel_all(self._tasks)
        self._tasks = []


async def cancel_all(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def pace(tickets: asyncio.Queue[None], per_second: float) -> None:
    """Hand out one ticket every 1/per_second s on an absolute schedule (an open loop: late
    phones do not slow the arrivals down)."""
    started = time.perf_counter()
    issued = 0
    while True:
        due = started + issued / per_second
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tickets.put_nowait(None)
        issued += 1

"""Server CPU per request, for each kind of request a lifecycle makes, one kind at a time.

    .venv/bin/python benchmarks/requests.py [--small] [--count 1000] [--connections 16]

Against a real `espresso serve` on SQLite: `count` requests of each kind over
`connections` keep-alive connections (raw sockets, as in the rush), and the server's CPU
time for them from the scheduler's own accounting (`/proc/<pid>/task/*/schedstat`,
nanoseconds, all threads). CPU time hardly depends on how busy the machine is, so these
figures hold on a loaded machine where wall-clock ones do not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness.machine import describe, load_average
from benchmarks.harness.rawhttp import Connection, request_bytes
from benchmarks.harness.rawsse import SseStream
from benchmarks.harness.run import run
from benchmarks.harness.servers import espresso
from tests.support.server import BackendServer

Step = Callable[[Connection, int], Awaitable[None]]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--count", type=int, default=1000, help="requests of each kind")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.small:
        args.count, args.connections = 40, 4
    return args


def on_cpu_s(pid: int) -> float:
    """Time the process's threads have run, from /proc/<pid>/task/*/schedstat."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError):  # a thread that just ended
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def expect(status: int, wanted: int, body: bytes) -> None:
    if status != wanted:
        raise RuntimeError(f"status {status}, not {wanted}: {body[:200]!r}")


async def measure(server: BackendServer, count: int, connections: int) -> list[tuple[str, float, bool]]:
    assert server.process is not None
    host, port, pid = "127.0.0.1", server.port, server.process.pid
    barista, display = server.barista_token, server.display_token
    conns = [await Connection.open(host, port) for _ in range(connections)]
    status, body = await conns[0].request("GET", "/api/v1/stores/booth/code", token=display)
    expect(status, 200, body)
    code = json.loads(body)["code"]
    orders: list[tuple[str, str]] = []

    async def healthz(conn: Connection, i: int) -> None:
        status, body = await conn.request("GET", "/healthz")
        expect(status, 200, body)

    async def get_code(conn: Connection, i: int) -> None:
        status, body = await conn.send(request_bytes("GET", "/api/v1/stores/booth/code", token=display))
        expect(status, 200, body)

    async def start(conn: Connection, i: int) -> None:
        start = json.dumps({"code": code, "customer_name": f"Guest {i}"}).encode()
        status, body = await conn.request("POST", "/api/v1/stores/booth/orders", start, key=uuid.uuid4().hex)
        expect(status, 201, body)
        started = json.loads(body)
        orders.append((started["order"]["id"], started["order_token"]))

    async def drink(conn: Connection, i: int) -> None:
        order_id, token = orders[i]
        path = f"/api/v1/orders/{order_id}/drink"
        status, body = await conn.request(
            "PUT", path, b'{"item": "latte"}', token=token, key=uuid.uuid4().hex
        )
        expect(status, 200, body)

    async def get_order(conn: Connection, i: int) -> None:
        order_id, token = orders[i]
        status, body = await conn.request("GET", f"/api/v1/orders/{order_id}", token=token)
        expect(status, 200, body)

    async def order_stream(conn: Connection, i: int) -> None:
        order_id, token = orders[i]
        stream = await SseStream.open(host, port, f"/api/v1/orders/{order_id}/stream?access_token={token}")
        seen = 0

        def on_message(kind: bytes, data: bytes) -> None:
            nonlocal seen
            seen += 1

        await stream.follow(on_message, until=lambda: seen >= 2)  # started and placed
        stream.close()

    def barista_step(step: str) -> Step:
        async def call(conn: Connection, i: int) -> None:
            raw = request_bytes(
                "POST",
                f"/api/v1/orders/{orders[i][0]}/{step}",
                b"",
                barista,
                uuid.uuid4().hex,
                "X-Barista: Bo\r\n",
            )
            status, body = await conn.send(raw)
            expect(status, 200, body)

        return call

    # (what, how, whether a rush lifecycle makes it)
    kinds: list[tuple[str, Step, bool]] = [
        ("GET /healthz", healthz, False),
        ("GET /api/v1/stores/{s}/code", get_code, True),
        ("POST /api/v1/stores/{s}/orders (start)", start, True),
        ("PUT /api/v1/orders/{id}/drink", drink, True),
        ("GET /api/v1/orders/{id}", get_order, False),
        ("GET /api/v1/orders/{id}/stream (connect, 2 events, leave)", order_stream, True),
        ("POST /api/v1/orders/{id}/claim", barista_step("claim"), True),
        ("POST /api/v1/orders/{id}/complete", barista_step("complete"), True),
    ]
    results = []
    for name, step, in_lifecycle in kinds:
        pending = list(range(count))
        pending.reverse()

        async def worker(conn: Connection, step: Step = step, pending: list[int] = pending) -> None:
            while pending:
                await step(conn, pending.pop())

        before = on_cpu_s(pid)
        await asyncio.gather(*(worker(conn) for conn in conns))
        results.append((name, (on_cpu_s(pid) - before) / count, in_lifecycle))
    for conn in conns:
        conn.close()
    return results


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory() as scratch:
        print(describe(scratch))
        with espresso(Path(scratch) / "server") as server:
            print(
                f"{args.count} requests of each kind, {args.connections} connections; load {load_average()}"
            )
            results = run(measure(server, args.count, args.connections))
    floor = results[0][1]
    total = 0.0
    for name, cpu, in_lifecycle in results:
        print(f"  {name:<58} {cpu * 1e6:6.0f} us of server CPU ({cpu / floor:.1f}x /healthz)")
        total += cpu if in_lifecycle else 0.0
    print(f"  the six requests of a lifecycle: {total * 1000:.2f} ms of server CPU")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()

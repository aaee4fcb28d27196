#!/usr/bin/env python3
"""Order lifecycles per second through one `espresso serve` (start, drink, claim, complete).

    .venv/bin/python scripts/bench_backend.py [--seconds 10] [--clients 64] [--database URL]

Starts a real server (SQLite with synchronous=FULL unless --database says otherwise) and
drives it with concurrent customers over keep-alive connections. The load generator speaks
HTTP/1.1 on raw sockets: httpx costs more CPU per request than the server does, so with it
the machine would measure the client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.server import start_server


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(payload)}\r\n"
        if payload:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(data) if data else None


async def customer(url: str, code: str, barista: str, until: float, latencies: list[float]) -> int:
    host, port = url.removeprefix("http://").split(":")
    conn = Connection(*await asyncio.open_connection(host, int(port)))
    done = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        status, body = await conn.call(
            "POST", "/api/v1/stores/booth/orders", {"code": code, "customer_name": "B"}
        )
        assert status == 201, body
        order_id, token = body["order"]["id"], body["order_token"]
        drink = {"item": "latte", "options": {"milk": "Oat"}}
        status, body = await conn.call("PUT", f"/api/v1/orders/{order_id}/drink", drink, token)
        assert status == 200, body
        for step in ("claim", "complete"):
            status, body = await conn.call("POST", f"/api/v1/orders/{order_id}/{step}", token=barista)
            assert status == 200, body
        latencies.append(time.perf_counter() - started)
        done += 1
    conn.writer.close()
    return done


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(
    url: str, code: str, barista: str, seconds: float, clients: int
) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    started = time.monotonic()
    counts = await asyncio.gather(
        *(customer(url, code, barista, started + seconds, latencies) for _ in range(clients))
    )
    return sum(counts), time.monotonic() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = {"drinks_per_code": 10**9, "max_queue": 10**9}
        with start_server(Path(tmp), database=args.database, store=store) as server:
            import httpx

            code = httpx.get(
                f"{server.url}/api/v1/stores/booth/code", headers=server.headers("display")
            ).json()["code"]
            assert server.process is not None
            cpu_before = _cpu_seconds(server.process.pid)
            total, elapsed, latencies = asyncio.run(
                run(server.url, code, server.barista_token, args.seconds, args.clients)
            )
            server_cpu = _cpu_seconds(server.process.pid) - cpu_before
            metrics = httpx.get(server.url + "/metrics").text.splitlines()
    latencies.sort()
    batches = next(float(m.split()[1]) for m in metrics if m.startswith("espresso_write_batches_total"))
    jobs = next(float(m.split()[1]) for m in metrics if m.startswith("espresso_write_jobs_total"))
    print(
        f"{total} lifecycles in {elapsed:.1f} s: {total / elapsed:.0f}/s ({4 * total / elapsed:.0f} writes/s)"
    )
    print(
        f"server CPU {server_cpu / (4 * total) * 1e6:.0f} us per write; "
        f"{jobs / max(batches, 1):.1f} writes per commit"
    )
    median, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99)]
    print(f"lifecycle latency (4 requests): median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")


if __name__ == "__main__":
    main()

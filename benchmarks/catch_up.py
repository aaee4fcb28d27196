"""Catch-up: a replica that has missed 10,000 events, through the real StoreClient against a
real `espresso serve`, until it is current.

    .venv/bin/python benchmarks/catch_up.py [--small] [--events 10000] [--database URL]

The replica first follows a store with a few orders, then the backend takes 10,000 more
events while the replica is away (walk-up lifecycles pushed as a device would). Measured, on
a fresh copy of that replica each time: `catch_up()` (paged reads, what `espresso sync`
does) and `start()` with the live stream (what an app does), until the replica's last seq
is the log's.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness.fill import EVENTS_PER_ORDER, fill
from benchmarks.harness.machine import cpu_seconds, describe, load_average
from benchmarks.harness.run import run
from benchmarks.harness.servers import espresso
from core.sync.client import StoreClient
from tests.support.server import BackendServer

TARGET_S = 1.0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--events", type=int, default=10_000, help="events the replica missed")
    parser.add_argument("--rounds", type=int, default=3, help="measure each way this many times")
    parser.add_argument("--database", help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    if args.small:
        args.events, args.rounds = 400, 1
    return args


def client(server: BackendServer, replica: Path) -> StoreClient:
    return StoreClient(server.url, "booth", server.barista_token, actor="Ana", replica_path=replica)


async def prepare(server: BackendServer, replica: Path) -> None:
    """A replica that was current once."""
    fill(server.url, "booth", server.barista_token, 10)
    feed = client(server, replica)
    await feed.start(follow=False)
    await feed.catch_up()
    await feed.stop()


async def paged(server: BackendServer, replica: Path, last: int) -> float:
    feed = client(server, replica)
    started = time.perf_counter()
    await feed.start(follow=False)
    await feed.catch_up()
    elapsed = time.perf_counter() - started
    assert feed.replica.last_seq == last, (feed.replica.last_seq, last)
    await feed.stop()
    return elapsed


async def streamed(server: BackendServer, replica: Path, last: int) -> float:
    feed = client(server, replica)
    started = time.perf_counter()
    await feed.start()
    while feed.replica.last_seq < last:
        await asyncio.sleep(0.002)
        if time.perf_counter() - started > 60:
            raise TimeoutError(f"the replica is at {feed.replica.last_seq} of {last} after 60 s")
    elapsed = time.perf_counter() - started
    await feed.stop()
    return elapsed


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory() as scratch:
        print(describe(scratch))
        with espresso(Path(scratch) / "server", database=args.database) as server:
            assert server.process is not None
            pid = server.process.pid
            replica = Path(scratch) / "missed.sqlite3"
            run(prepare(server, replica))
            fill(server.url, "booth", server.barista_token, args.events // EVENTS_PER_ORDER)
            last = run(_last_seq(server))
            print(f"the replica missed {args.events} events (log at seq {last}); load {load_average()}")
            for name, way in (
                ("catch_up() (paged reads)", paged),
                ("start() with the live stream", streamed),
            ):
                times, cpus = [], []
                for _ in range(args.rounds):
                    copy = Path(scratch) / "copy.sqlite3"
                    shutil.copyfile(replica, copy)
                    cpu0, mine = cpu_seconds(pid), time.process_time()
                    times.append(run(way(server, copy, last)))
                    cpus.append(time.process_time() - mine)
                    server_cpu = cpu_seconds(pid) - cpu0
                    copy.unlink()
                best = min(times)
                every = ", ".join(f"{t * 1000:.0f}" for t in times)
                print(
                    f"  {name}: best {best * 1000:.0f} ms of {len(times)} "
                    f"({args.events / best:,.0f} events/s; all: {every} ms; "
                    f"client CPU {min(cpus) * 1000:.0f} ms at best, server CPU {server_cpu * 1000:.0f} ms "
                    f"in the last; target <= {TARGET_S:.0f} s)"
                )
    print(f"load average at the end: {load_average()}")


async def _last_seq(server: BackendServer) -> int:
    import httpx

    async with httpx.AsyncClient(base_url=server.url, headers=server.headers("display")) as http:
        after = 0
        while True:
            page = (await http.get(f"/api/v1/stores/booth/events?after={after}&limit=1000")).json()
            if not page["events"]:
                return after
            after = page["last_seq"]


if __name__ == "__main__":
    main()

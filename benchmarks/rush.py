"""A rush over real HTTP and SSE against a real `espresso serve`, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/rush.py [--small] [--seconds 10] [--phones 64] [--baristas 4]
                                        [--rate 100] [--databases sqlite,postgresql]

N phones do the whole customer flow (code, start, drink, follow the order to the end) while
M baristas follow the store's event stream, claim and complete. Figures: order placed ->
barista streams (p50/p99) at a paced 100 orders/s; whole lifecycles per second flat out,
with how far behind the streams ran; server CPU per lifecycle; server peak memory. The
floor (/healthz on the same server and client code) and the load generator's own ceiling
(the same flow against a do-nothing server) are measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import figures
from benchmarks.harness.flow import Target
from benchmarks.harness.machine import describe, load_average, peak_memory_mib
from benchmarks.harness.phases import (
    REQUESTS_PER_LIFECYCLE,
    Floor,
    Phase,
    floor,
    rush,
    start_baristas,
)
from benchmarks.harness.recorder import Recorder
from benchmarks.harness.run import run
from benchmarks.harness.servers import (
    check_alive,
    espresso,
    null_server,
    postgres_available,
    scratch_postgres,
)
from tests.support.server import BackendServer


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--seconds", type=float, default=10.0, help="each measured phase")
    parser.add_argument("--phones", type=int, default=64)
    parser.add_argument("--baristas", type=int, default=4)
    parser.add_argument("--rate", type=float, default=100.0, help="orders/s of the paced phase")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the do-nothing server run")
    args = parser.parse_args()
    if args.small:
        args.seconds, args.phones, args.baristas, args.rate = 1.0, 4, 2, 20.0
    return args


async def against(
    host: str, port: int, pids: list[int], tokens: tuple[str, str], args: argparse.Namespace
) -> tuple[Floor, Phase, Phase]:
    warmup = 0.2 if args.small else 1.0
    count = 20 if args.small else 1000
    base = await floor(host, port, count, 32, 0.3 if args.small else 3.0, pids)
    target = Target(host, port, "booth", *tokens)
    recorder = Recorder()
    baristas = await start_baristas(args.baristas, [target], recorder)
    try:
        paced = await rush(
            f"paced at {args.rate:.0f} orders/s",
            [target],
            recorder,
            args.phones,
            args.seconds,
            pids,
            rate=args.rate,
            warmup=warmup,
        )
        flat = await rush("flat out", [target], recorder, args.phones, args.seconds, pids, warmup=warmup)
    finally:
        for barista in baristas:
            await barista.stop()
    return base, paced, flat


def report(base: Floor, paced: Phase, flat: Phase, ceiling: Floor | None) -> None:
    print(base.report("  floor:"))
    for phase in (paced, flat):
        for line in phase.report():
            print("  " + line)
    rtt = figures.percentile(base.round_trips, 0.5)
    placed = figures.percentile(paced.placed_to_stream, 0.5)
    drink = figures.percentile(paced.requests.get("drink", []), 0.5)
    print(
        f"  vs the floor: the drink request (p50) takes {figures.ratio(drink, rtt)} a /healthz round trip; "
        f"placed -> stream p50 is {figures.ratio(abs(placed), rtt)} of one"
    )
    if base.server_cpu_per_request == base.server_cpu_per_request:
        per = flat.server_cpu_ms_per_lifecycle / (base.server_cpu_per_request * 1000)
        print(f"  server CPU per lifecycle (flat out) = {per:.1f} /healthz requests' worth")
    requests = flat.per_second * REQUESTS_PER_LIFECYCLE
    print(
        f"  flat out: {requests:.0f} requests/s in lifecycles = {requests / base.per_second:.2f} of the "
        f"/healthz floor ({base.per_second:.0f}/s)"
        + (f"; the load generator alone reaches {ceiling.per_second:.0f} /healthz/s" if ceiling else "")
    )


def ceiling_run(args: argparse.Namespace) -> tuple[Floor, Phase]:
    with null_server() as port:
        print(f"load generator ceiling (a do-nothing server in its own process), load {load_average()}:")
        base, _, flat = run(against("127.0.0.1", port, [], ("x", "x"), args))
    print(base.report("  do-nothing server"))
    for line in flat.report()[:1]:
        print("  " + line.replace("flat out", "whole flow flat out"))
    print(f"  load generator CPU {flat.client_cpu / max(flat.lifecycles, 1) * 1000:.2f} ms per lifecycle")
    return base, flat


def server_run(server: BackendServer, what: str, args: argparse.Namespace, ceiling: Floor | None) -> None:
    assert server.process is not None
    pid = server.process.pid
    print(
        f"\n{what}: server pid {pid}, {args.phones} phones, {args.baristas} baristas, load {load_average()}"
    )
    tokens = (server.barista_token, server.display_token)
    base, paced, flat = run(against("127.0.0.1", server.port, [pid], tokens, args))
    report(base, paced, flat, ceiling)
    print(f"  server peak memory (VmHWM) {peak_memory_mib(pid):.0f} MiB")
    check_alive(server)


def main() -> None:
    args = parse()
    databases = args.databases.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        print(describe(scratch))
        ceiling = None if args.no_ceiling else ceiling_run(args)[0]
        if "sqlite" in databases:
            with espresso(Path(scratch) / "sqlite") as server:
                server_run(server, "SQLite (synchronous=FULL, group commit)", args, ceiling)
        if "postgresql" in databases:
            if not postgres_available():
                print("\nPostgreSQL: not running on 127.0.0.1:5432; skipped")
            else:
                with scratch_postgres() as url, espresso(Path(scratch) / "pg", database=url) as server:
                    server_run(server, "PostgreSQL", args, ceiling)
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()

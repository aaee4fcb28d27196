"""Scale-out: two `espresso serve` processes on one PostgreSQL database.

    .venv/bin/python benchmarks/scale_out.py [--small] [--seconds 10] [--phones 64]
                                             [--baristas 4] [--stores 1,8]

For each store count: phones order through process A, baristas follow the stream and claim
and complete through process B (with several stores, half of them the other way round), so
every order crosses processes. Figures: whole lifecycles per second flat out (both processes'
CPU per lifecycle), and cross-process event latency: the order placed through A (the phone
has the answer) -> `OrderPlaced` on B's stream, p50/p99, at a paced rate and flat out.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness.flow import Target
from benchmarks.harness.machine import describe, load_average, peak_memory_mib
from benchmarks.harness.phases import Phase, rush, start_baristas
from benchmarks.harness.recorder import Recorder
from benchmarks.harness.run import run
from benchmarks.harness.servers import check_alive, espresso, postgres_available, scratch_postgres, store_ids
from tests.support.server import BackendServer


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--seconds", type=float, default=10.0, help="each measured phase")
    parser.add_argument("--phones", type=int, default=64)
    parser.add_argument("--baristas", type=int, default=4, help="per store")
    parser.add_argument("--rate", type=float, default=100.0, help="orders/s of the paced phase")
    parser.add_argument("--stores", default="1,8", help="store counts to run, comma-separated")
    args = parser.parse_args()
    if args.small:
        args.seconds, args.phones, args.baristas, args.rate = 0.5, 4, 1, 20.0
        args.stores = "2"
    return args


def target(server: BackendServer, store: str) -> Target:
    return Target("127.0.0.1", server.port, store, server.barista_token, server.display_token)


async def scenario(
    a: BackendServer, b: BackendServer, stores: list[str], args: argparse.Namespace
) -> tuple[Phase, Phase]:
    """Store i: phones on process (A, B)[i % 2], baristas on the other one."""
    pair = (a, b)
    phones = [target(pair[i % 2], store) for i, store in enumerate(stores)]
    staff = [target(pair[(i + 1) % 2], store) for i, store in enumerate(stores)]
    pids = [server.process.pid for server in pair if server.process is not None]
    recorder = Recorder()
    per_store = max(1, args.baristas if len(stores) == 1 else args.baristas // 2)
    baristas = await start_baristas(per_store, staff, recorder)
    warmup = 0.2 if args.small else 1.0
    try:
        paced = await rush(
            f"paced at {args.rate:.0f} orders/s", phones, recorder, args.phones, args.seconds, pids,
            rate=args.rate, warmup=warmup,
        )  # fmt: skip
        flat = await rush("flat out", phones, recorder, args.phones, args.seconds, pids, warmup=warmup)
    finally:
        for barista in baristas:
            await barista.stop()
    return paced, flat


def main() -> None:
    args = parse()
    if not postgres_available():
        print("PostgreSQL is not running on 127.0.0.1:5432: nothing to measure")
        sys.exit(1)
    with tempfile.TemporaryDirectory() as scratch:
        print(describe(scratch))
        for count in (int(n) for n in args.stores.split(",")):
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(scratch_postgres())
                here = Path(scratch) / f"stores{count}"
                a = stack.enter_context(espresso(here, database=url, stores=count, name="a"))
                b = stack.enter_context(espresso(here, database=url, stores=count, name="b"))
                stores = store_ids(count)
                print(
                    f"\ntwo processes on one PostgreSQL, {count} store(s), {args.phones} phones, "
                    f"{args.baristas} baristas per store, load {load_average()}"
                )
                paced, flat = run(scenario(a, b, stores, args))
                for phase in (paced, flat):
                    for line in phase.report():
                        print(
                            "  "
                            + line.replace(
                                "order placed ->", "cross-process: placed on one process -> the other's"
                            )
                        )
                memory = [peak_memory_mib(s.process.pid) for s in (a, b) if s.process is not None]
                print(f"  server peak memory (VmHWM): A {memory[0]:.0f} MiB, B {memory[1]:.0f} MiB")
                check_alive(a, "process A")
                check_alive(b, "process B")
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()

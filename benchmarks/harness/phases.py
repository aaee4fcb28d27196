"""Running a rush for a while and collecting what it did: phones (paced or flat out)
against one or more targets, the floor (/healthz) on the same client code, and the CPU
of the server processes and of this load generator over the measured window."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.harness import figures
from benchmarks.harness.flow import Barista, Target, cancel_all, pace, phone
from benchmarks.harness.machine import cpu_seconds, cpu_split, load_average
from benchmarks.harness.rawhttp import Connection, request_bytes
from benchmarks.harness.recorder import Recorder

REQUESTS_PER_LIFECYCLE = 6  # code, start, drink, order stream, claim, complete


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Phase:
    label: str
    seconds: float
    lifecycles: int
    placed_to_stream: list[float]
    lags: list[float]
    max_lag_by_stream: dict[str, float]
    requests: dict[str, list[float]]
    server_cpu: float  # seconds, all server processes
    server_sys: float  # of which in the kernel
    client_cpu: float
    load: str
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.lifecycles / self.seconds

    @property
    def server_cpu_ms_per_lifecycle(self) -> float:
        return self.server_cpu / max(self.lifecycles, 1) * 1000

    def report(self) -> list[str]:
        worst = max(self.max_lag_by_stream.values(), default=float("nan"))
        lines = [
            f"{self.label}: {self.lifecycles} lifecycles in {self.seconds:.1f} s = "
            f"{self.per_second:.0f}/s (load average {self.load})",
            f"  order placed -> barista streams: {figures.spread(self.placed_to_stream)}",
            f"  stream lag (event time -> on a barista stream): {figures.spread(self.lags)}; "
            f"worst stream {figures.ms(worst)}",
            f"  server CPU {self.server_cpu_ms_per_lifecycle:.2f} ms per lifecycle "
            f"({self.server_cpu / self.seconds * 100:.0f}% of a core, "
            f"{self.server_sys / max(self.server_cpu, 1e-9) * 100:.0f}% of it in the kernel); load generator "
            f"{self.client_cpu / max(self.lifecycles, 1) * 1000:.2f} ms per lifecycle "
            f"({self.client_cpu / self.seconds * 100:.0f}% of a core)",
        ]
        steps = ", ".join(f"{step} {figures.p50_p99(v)}" for step, v in sorted(self.requests.items()))
        lines.append(f"  requests: {steps}")
        if self.errors:
            lines.append(f"  errors: {dict(self.errors)}")
        return lines


async def start_baristas(
    per_store: int, targets: Sequence[Target], recorder: Recorder, stream_targets: Sequence[Target] = ()
) -> list[Barista]:
    """`per_store` baristas for each target's store; their streams on `stream_targets[i]`
    when given (another process), else on their own target."""
    baristas = []
    for t, target in enumerate(targets):
        for i in range(per_store):
            barista = Barista(f"B{t}-{i}", i, per_store, target, recorder)
            await barista.start(stream_targets[t] if stream_targets else None)
            baristas.append(barista)
    return baristas


async def rush(
    label: str,
    targets: Sequence[Target],
    recorder: Recorder,
    phones: int,
    seconds: float,
    server_pids: Sequence[int],
    rate: float | None = None,
    warmup: float = 1.0,
) -> Phase:
    """Phones spread over `targets` for warmup + seconds; figures from the last `seconds`."""
    tickets: asyncio.Queue[None] | None = asyncio.Queue() if rate else None
    tasks = [
        asyncio.create_task(phone(f"P{i}", targets[i % len(targets)], recorder, tickets))
        for i in range(phones)
    ]
    if tickets is not None and rate:
        tasks.append(asyncio.create_task(pace(tickets, rate)))
    recorder.reset()
    await asyncio.sleep(warmup)
    recorder.measuring = True
    sys0, client0, t0 = _server_sys(server_pids), client_cpu(), time.perf_counter()
    cpu0 = _server_cpu(server_pids)
    await asyncio.sleep(seconds)
    recorder.measuring = False
    elapsed = time.perf_counter() - t0
    server, client = _server_cpu(server_pids) - cpu0, client_cpu() - client0
    kernel = _server_sys(server_pids) - sys0
    load = load_average()
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            recorder.error(f"phone: {task.exception()}")
    await cancel_all(tasks)
    return Phase(
        label,
        elapsed,
        recorder.lifecycles,
        list(recorder.placed_to_stream),
        list(recorder.lags),
        dict(recorder.max_lag_by_stream),
        {k: list(v) for k, v in recorder.requests.items()},
        server,
        kernel,
        client,
        load,
        dict(recorder.errors),
    )


def _server_cpu(pids: Sequence[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def _server_sys(pids: Sequence[int]) -> float:
    return sum(cpu_split(pid)[1] for pid in pids)


@dataclass
class Floor:
    round_trips: list[float]
    per_second: float
    server_cpu_per_request: float  # seconds (nan without a server pid)

    def report(self, what: str) -> str:
        cpu = (
            ""
            if self.server_cpu_per_request != self.server_cpu_per_request
            else f", server CPU {self.server_cpu_per_request * 1e6:.0f} us per request"
        )
        return (
            f"{what} /healthz: round trip {figures.spread(self.round_trips)}; "
            f"{self.per_second:.0f} requests/s flat out{cpu}"
        )


async def floor(
    host: str, port: int, count: int, connections: int, seconds: float, pids: Sequence[int] = ()
) -> Floor:
    """/healthz one at a time on one connection, then flat out on `connections`."""
    raw = request_bytes("GET", "/healthz")
    conn = await Connection.open(host, port)
    round_trips = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = await conn.send(raw)
        round_trips.append(time.perf_counter() - started)
        assert status == 200
    conn.close()
    done = 0
    stop = time.perf_counter() + seconds

    async def hammer() -> None:
        nonlocal done
        c = await Connection.open(host, port)
        try:
            while time.perf_counter() < stop:
                await c.send(raw)
                done += 1
        finally:
            c.close()

    started, cpu0 = time.perf_counter(), _server_cpu(pids)
    await asyncio.gather(*(hammer() for _ in range(connections)))
    cpu = (_server_cpu(pids) - cpu0) / max(done, 1) if pids else float("nan")
    return Floor(round_trips, done / (time.perf_counter() - started), cpu)

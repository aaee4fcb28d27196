"""The benchmarks still run and print their figures (tiny sizes; speed is not asserted:
that is what the benchmarks themselves are for, on a quiet machine)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_benchmark(name: str, *args: str, timeout: float = 90) -> str:
    """Run `benchmarks/<name>.py --small` and return what it printed. It runs in a process
    group of its own, so a benchmark that overruns is killed with the servers it started."""
    process = subprocess.Popen(
        [sys.executable, f"benchmarks/{name}.py", "--small", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"benchmarks/{name}.py ran over {timeout} s:\n{out}\n{err}")
    assert process.returncode == 0, out + err
    return out


def test_rush_on_sqlite_prints_its_figures() -> None:
    out = run_benchmark("rush", "--databases", "sqlite", "--seconds", "0.5")
    assert re.search(r"machine: \d+ cores .* fsyncs/s", out)
    assert re.search(r"do-nothing server /healthz: round trip p50 [\d.]+ ms", out)
    assert re.search(r"floor: /healthz: round trip p50 [\d.]+ ms", out)
    assert re.search(r"order placed -> barista streams: p50 -?[\d.]+ ms, p99", out)
    assert re.search(r"flat out: \d+ lifecycles in [\d.]+ s = \d+/s", out)
    assert re.search(r"server CPU [\d.]+ ms per lifecycle", out)
    assert re.search(r"server peak memory \(VmHWM\) \d+ MiB", out)
    assert "errors:" not in out


@pytest.mark.postgres
def test_rush_on_postgresql_prints_its_figures(pg_server: str) -> None:
    out = run_benchmark("rush", "--databases", "postgresql", "--seconds", "0.5", "--no-ceiling")
    assert "PostgreSQL: server pid" in out
    assert re.search(r"flat out: \d+ lifecycles in [\d.]+ s = \d+/s", out)
    assert "errors:" not in out


@pytest.mark.postgres
def test_scale_out_prints_its_figures(pg_server: str) -> None:
    out = run_benchmark("scale_out")
    assert "two processes on one PostgreSQL, 2 store(s)" in out
    assert re.search(r"cross-process: placed on one process -> the other's barista streams: p50", out)
    assert re.search(r"flat out: \d+ lifecycles in [\d.]+ s = \d+/s", out)
    assert re.search(r"server peak memory \(VmHWM\): A \d+ MiB, B \d+ MiB", out)
    assert "errors:" not in out


def test_catch_up_prints_its_figures() -> None:
    out = run_benchmark("catch_up")
    assert re.search(r"the replica missed 400 events \(log at seq \d+\)", out)
    assert re.search(r"catch_up\(\) \(paged reads\): best \d+ ms", out)
    assert re.search(r"start\(\) with the live stream: best \d+ ms", out)


def test_apps_print_their_figures() -> None:
    out = run_benchmark("apps", timeout=180)
    assert re.search(r"floor \(a Textual app showing one line\): first screen \d+ ms", out)
    for app in ("kiosk", "barista"):
        assert re.search(rf"{app}: first full screen \d+ ms from the command .* peak memory [\d.]+ MiB", out)
    assert len(re.findall(r"one event with the board full \(3 claims\): apply p50 [\d.]+ ms", out)) == 2
    assert len(re.findall(r"modules imported after the first screen: \S", out)) == 2


def test_requests_prints_server_cpu_per_kind() -> None:
    out = run_benchmark("requests")
    for kind in ("GET /healthz", "PUT /api/v1/orders/{id}/drink", "POST /api/v1/orders/{id}/complete"):
        assert re.search(rf"{re.escape(kind)}\s+\d+ us of server CPU \([\d.]+x /healthz\)", out)
    assert re.search(r"the six requests of a lifecycle: [\d.]+ ms of server CPU", out)


def test_projection_prints_the_cost_per_event_of_each_fold() -> None:
    out = run_benchmark("projection")
    assert "20 orders, 80 events" in out
    for fold in ("apply_all", "load", "states_of", "adopt"):
        assert re.search(rf"{fold} \(.*\)\s+[\d.]+ us per event", out), fold


def test_store_append_prints_transactions_and_client_cpu() -> None:
    out = run_benchmark("store_append")
    single = r"[\d,]+ single-event transactions/s \([\d.]+ ms of client CPU each\)"
    assert re.search(rf"sqlite:///.*: {single}", out)
    assert re.search(r"[\d,]+ events/s in transactions of 100", out)


@pytest.mark.postgres
def test_store_append_on_postgresql(pg_server: str) -> None:
    from benchmarks.harness.servers import scratch_postgres

    with scratch_postgres() as url:
        out = run_benchmark("store_append", url)
    assert re.search(r"espresso_bench_\w+: [\d,]+ single-event transactions/s \([\d.]+ ms of client CPU", out)


def test_bus_publish_prints_its_figures() -> None:
    out = run_benchmark("bus_publish")
    assert re.search(r"sync, 50 subscribers \(mixed patterns\):\s+[\d.]+ µs per event", out)
    assert re.search(r"async, 10 subscribers: publish [\d.]+ µs per event, handled by all [\d.]+ µs", out)


def test_kiosk_refresh_prints_its_figures() -> None:
    out = run_benchmark("kiosk_refresh")
    assert re.search(r"20 orders \(80 events\) published in [\d.]+ s", out)
    assert re.search(r"the last one on screen after [\d.]+ s, in \d+ redraws", out)
    assert re.search(r"one full redraw with 20 orders known: [\d.]+ ms", out)

"""Several processes on one database: a writer killed mid-flight, and writers contending."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from core.eventstore.base import open_event_store
from tests.eventstore.contract import DAY
from tests.eventstore.events_for_tests import store_event

ROOT = Path(__file__).resolve().parents[2]


def child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.eventstore.child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_a_writer_mid_flight(url: str) -> list[str]:
    """Start a writer, SIGKILL it once it has acknowledged a random number of events."""
    writer = child("append", url, "booth")
    acknowledged: list[str] = []
    try:
        target = random.randint(5, 80)
        assert writer.stdout is not None
        while len(acknowledged) < target:
            line = writer.stdout.readline()
            assert line.endswith("\n"), f"the writer died: {writer.stderr.read() if writer.stderr else ''}"
            acknowledged.append(line.strip())
    finally:
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    # Lines already in the pipe were acknowledged too; a torn last line was not.
    return acknowledged + [line for line in rest.split("\n")[:-1] if line]


def test_every_acknowledged_event_survives_sigkill(any_url: str) -> None:
    acknowledged: list[str] = []
    for _ in range(3):  # each writer starts on what the killed one left behind
        acknowledged += kill_a_writer_mid_flight(any_url)

    store = open_event_store(any_url)
    try:
        events = store.read("booth")
        assert set(acknowledged) <= {event.id for event in events}
        assert [event.seq for event in events] == list(range(1, len(events) + 1))
        with store.transaction("booth") as tx:
            assert [e.seq for e in tx.append([store_event(n=10_000)])] == [len(events) + 1]
    finally:
        store.close()


def test_contending_processes_never_share_a_number_or_overuse_a_code(any_url: str) -> None:
    processes, iterations, windows, budget = 4, 30, 3, 7
    writers = [
        child("contend", any_url, "booth", str(iterations), str(windows), str(budget))
        for _ in range(processes)
    ]
    lines: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=100)
        assert writer.returncode == 0, err
        lines += out.split()
    numbers = [int(n) for n in lines[0::3]]
    uses = Counter(int(window) for window, used in zip(lines[1::3], lines[2::3], strict=True) if used == "1")

    assert sorted(numbers) == list(range(1, processes * iterations + 1))
    assert uses == {window: budget for window in range(windows)}
    store = open_event_store(any_url)
    try:
        with store.transaction("booth") as tx:
            assert [tx.code_uses(window) for window in range(windows)] == [budget] * windows
            assert tx.peek_number(DAY) == processes * iterations + 1
    finally:
        store.close()

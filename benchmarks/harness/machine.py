"""What a figure was measured on: the machine, its load, and a process's CPU and memory."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def fsync_rate(directory: str | None = None, seconds: float = 1.0) -> float:
    """Durable 4 KiB writes per second (write + fsync), as a database commit needs."""
    with tempfile.NamedTemporaryFile(dir=directory) as handle:
        block = b"x" * 4096
        count = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            os.pwrite(handle.fileno(), block, 0)
            os.fsync(handle.fileno())
            count += 1
        return count / (time.perf_counter() - started)


def describe(directory: str | None = None) -> str:
    return (
        f"machine: {os.cpu_count()} cores ({cpu_model()}), {memory_gib():.0f} GiB RAM, "
        f"{fsync_rate(directory):.0f} fsyncs/s on {directory or tempfile.gettempdir()}; "
        f"load average {load_average()}"
    )


def cpu_split(pid: int) -> tuple[float, float]:
    """User and system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def cpu_seconds(pid: int) -> float:
    return sum(cpu_split(pid))


def peak_memory_mib(pid: int) -> float:
    """VmHWM: the process's peak resident memory (nan when the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return float("nan")
    for line in lines:
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

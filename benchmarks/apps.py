"""The apps (kiosk, barista terminal) headless through `run_test`, each in its own process,
on the real StoreClient following a real `espresso serve`.

    .venv/bin/python benchmarks/apps.py [--small] [--orders 500] [--updates 30]

The store holds ORDERS open orders (the last 20 being made) and each app's replica holds
the store as it is when the app starts (a session that just ended). Each app is built as
its command builds it (the store check against the server included). Figures per app:
start to the first full screen (from the command, and from the App starting), the
process's peak memory, and, with the board full, one event (a claim
made over HTTP) from its arrival at the client to the frame on screen: the time to apply it
(replica, projection, listeners), the main thread's CPU until the frame, and the wall time
(which includes waiting for Textual's next frame, at most 1/60 s).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAKING = 20
SIZE = (160, 48)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--orders", type=int, default=500, help="open orders on the board")
    parser.add_argument("--updates", type=int, default=30, help="events timed with the board full")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # kiosk|barista: run one app and report
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.small:
        args.orders, args.updates = 40, 3
    return args


# -- the app's own process ------------------------------------------------------------------


def feed_for(kind: str, settings: Any, server: str, replica: str) -> Any:
    """The feed as `espresso kiosk` / `espresso barista --name Ana` make it."""
    from core.sync.client import StoreClient
    from kiosk.feed_source import open_feed

    if kind == "kiosk":
        return open_feed(settings, server=server, replica_path=Path(replica))
    return StoreClient(
        server,
        "booth",
        settings.auth.barista_token,
        actor="Ana",
        device_name="barista-Ana",
        replica_path=replica,
        config=settings.store("booth"),
    )


async def build(kind: str, spec: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The app, its feed and a 'full screen' test, as `espresso kiosk|barista` builds them."""
    from core.config import load_settings

    settings = load_settings(spec["config"], environ={})
    from core.sync.preflight import unknown_store

    # The command asks the server whether it knows the store before the app starts.
    if (problem := await unknown_store(spec["server"], "booth")) is not None:
        raise RuntimeError(problem)
    feed = feed_for(kind, settings, spec["server"], spec["replica"])
    queued, making = spec["queued"], spec["making"]
    if kind == "kiosk":
        from kiosk.app import KioskApp
        from kiosk.screens.booth import BoothScreen
        from kiosk.widgets.board import MakingList

        app = KioskApp(feed)

        def kiosk_full() -> bool:
            screen = app.screen
            if not isinstance(screen, BoothScreen) or screen.code is None:
                return False
            summary = str(screen.query_one("#queue-summary").render())
            return len(screen.query_one(MakingList)._entries) == making and f"{queued} orders" in summary

        return app, feed, kiosk_full
    from barista_tui.app import BaristaApp
    from barista_tui.board import Lane
    from barista_tui.screens.board import BoardScreen

    app = BaristaApp(feed, barista="Ana", bell=False)

    def barista_full() -> bool:
        boards = [s for s in app.screen_stack if isinstance(s, BoardScreen)]
        if not boards:
            return False
        columns = boards[0].columns
        return len(columns[Lane.QUEUE].order_ids) == queued and len(columns[Lane.MAKING].order_ids) == making

    return app, feed, barista_full


async def floor_child(spec: dict[str, Any]) -> dict[str, Any]:
    """The floor: a Textual app that shows one line, started the same way."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from benchmarks.harness.app_probe import Frames, peak_mib

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Hello()
    imported = time.monotonic() - spec["spawned"]
    started = time.perf_counter()
    async with app.run_test(size=SIZE):
        frames = Frames(app)
        while (frame := frames.after(started)) is None:
            await asyncio.sleep(0.001)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "imports_s": imported,
        "first_screen_from_app_s": frame[0] - started,
        "first_screen_from_command_s": frame[0] - spec["spawned"],
        "first_screen_cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": peak_mib(),
    }


def claim_over_http(server: str, token: str, order_id: str) -> None:
    """Another barista's claim, as its terminal would send it, written on a plain socket (to
    the server's IP address: no name lookup, which would load the `idna` codec). The harness's
    own request loads no module into the app's process: `http.client` and a name lookup
    would add ~2 MiB to the peak the benchmark reports."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(server)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    request = (
        f"POST /api/v1/orders/{order_id}/claim HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nX-Barista: Bob\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n"
    )
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as connection:
        connection.settimeout(10)
        connection.connect((host, port))
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    if status_line.split(" ")[1:2] != ["200"]:
        raise RuntimeError(f"claim of {order_id}: {status_line}")


async def in_a_thread(work: Callable[[], None]) -> None:
    """`work` in a thread of its own (`asyncio.to_thread` would load `concurrent.futures`'s
    thread pool into the app's process)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the awaiting task
            loop.call_soon_threadsafe(done.set_exception, error)
        else:
            loop.call_soon_threadsafe(done.set_result, None)

    threading.Thread(target=run, daemon=True).start()
    await done


async def child(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.harness.app_probe import Arrivals, Frames, peak_mib

    app, feed, full = await build(kind, spec)
    arrivals = Arrivals(feed)
    report: dict[str, Any] = {"imports_s": time.monotonic() - spec["spawned"]}
    frames = Frames(app, full)  # each frame, as it is written: the first full one is caught
    app_started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + 30
        while (first := frames.first_full) is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{kind}: the board never showed the replica's orders")
            await asyncio.sleep(0.001)
        wall, cpu, peak = first
        report["first_screen_from_app_s"] = wall - app_started
        report["first_screen_from_command_s"] = wall - spec["spawned"]  # both CLOCK_MONOTONIC
        report["first_screen_cpu_s"] = cpu
        report["peak_after_first_screen_mib"] = peak
        loaded_at_first_screen = set(sys.modules)
        await pilot.pause(0.2)  # let the start-up settle (code fetch, store refresh)
        updates = []
        for order_id in spec["claim"]:
            seen = len(arrivals.batches)
            claim = functools.partial(claim_over_http, spec["server"], spec["barista_token"], order_id)
            await in_a_thread(claim)
            deadline = time.perf_counter() + 10
            while len(arrivals.batches) == seen or frames.after(arrivals.batches[seen][1]) is None:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{kind}: no frame after the claim of {order_id}")
                await asyncio.sleep(0.0005)
            wall0, wall1, cpu0, cpu1 = arrivals.batches[seen]
            frame = frames.after(wall1)
            assert frame is not None
            updates.append(
                {
                    "apply_s": wall1 - wall0,
                    "apply_cpu_s": cpu1 - cpu0,
                    "to_frame_s": frame[0] - wall0,
                    "to_frame_cpu_s": frame[1] - cpu0,
                }
            )
            await pilot.pause(0.05)
        report["updates"] = updates
    report["peak_mib"] = peak_mib()
    # Whatever comes in later (the app's or the harness's) counts in the peak above.
    report["imported_after_first_screen"] = sorted(set(sys.modules) - loaded_at_first_screen)
    return report


# -- the benchmark ---------------------------------------------------------------------------


def prepare(server: Any, orders: int) -> list[str]:
    """ORDERS open orders on the server (MAKING of them claimed); the queued ones' ids."""
    from benchmarks.harness.fill import fill

    ids = fill(server.url, "booth", server.barista_token, orders - MAKING, steps=2)
    fill(server.url, "booth", server.barista_token, MAKING, steps=3)
    return ids


def sync_replica(server: Any, kind: str, path: Path) -> None:
    """A session of the app that just ended: its replica holds the store as it is now (the
    orders, the claims timed in the runs before, the store settings)."""
    from benchmarks.harness.run import run
    from core.config import load_settings

    async def sync() -> None:
        feed = feed_for(kind, load_settings(server.config_path, environ={}), server.url, str(path))
        await feed.start(follow=False)
        await feed.sync_once()
        await feed.stop()

    run(sync())


def spawn(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    spec = {**spec, "spawned": time.monotonic()}
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--spec", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TEXTUAL": ""},
    )
    if result.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def show(kind: str, report: dict[str, Any]) -> None:
    from benchmarks.harness.figures import p50_p99

    updates = report["updates"]
    print(
        f"  {kind}: first full screen {report['first_screen_from_command_s'] * 1000:.0f} ms from the command "
        f"({report['imports_s'] * 1000:.0f} ms of it before the App: Python, imports, the store check; "
        f"{report['first_screen_cpu_s'] * 1000:.0f} ms of CPU in all), "
        f"{report['first_screen_from_app_s'] * 1000:.0f} ms from the App starting; "
        f"peak memory {report['peak_mib']:.1f} MiB "
        f"({report['peak_after_first_screen_mib']:.1f} at the first screen)"
    )
    print(
        f"    one event with the board full ({len(updates)} claims): "
        f"apply {p50_p99([u['apply_s'] for u in updates])}; arrival -> frame on screen: "
        f"{p50_p99([u['to_frame_s'] for u in updates])}, "
        f"CPU {p50_p99([u['to_frame_cpu_s'] for u in updates])}"
    )
    later = report["imported_after_first_screen"]
    print(f"    modules imported after the first screen: {', '.join(later) if later else 'none'}")


def main() -> None:
    args = parse()
    if args.child:
        # asyncio as `espresso kiosk|barista` runs it (Textual does not use uvloop)
        spec = json.loads(args.spec)
        if args.child == "floor":  # Textual as it comes
            print(json.dumps(asyncio.run(floor_child(spec))))
            return
        from core.app_start import terminal_app_start

        with terminal_app_start():  # as `espresso kiosk|barista` starts and runs the app
            print(json.dumps(asyncio.run(child(args.child, spec))))
        return
    from benchmarks.harness.machine import describe, load_average
    from benchmarks.harness.servers import espresso

    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        print(describe(scratch_dir))
        with espresso(scratch / "server") as server:
            ids = prepare(server, args.orders)
            print(
                f"{args.orders} open orders ({MAKING} being made), each app's replica in sync; "
                f"{SIZE[0]}x{SIZE[1]} terminal; load {load_average()}"
            )
            floor = spawn("floor", {})
            print(
                f"  floor (a Textual app showing one line): first screen "
                f"{floor['first_screen_from_command_s'] * 1000:.0f} ms from the command "
                f"({floor['imports_s'] * 1000:.0f} ms starting Python and importing; "
                f"{floor['first_screen_cpu_s'] * 1000:.0f} ms of CPU), "
                f"peak memory {floor['peak_mib']:.1f} MiB"
            )
            for n, kind in enumerate(("kiosk", "barista")):
                claims = ids[n * args.updates : (n + 1) * args.updates]
                replica = scratch / f"{kind}.sqlite3"
                sync_replica(server, kind, replica)
                spec = {
                    "config": str(server.config_path),
                    "server": server.url,
                    "replica": str(replica),
                    "queued": args.orders - MAKING - n * args.updates,
                    "making": MAKING + n * args.updates,
                    "barista_token": server.barista_token,
                    "claim": claims,
                }
                show(kind, spawn(kind, spec))
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()

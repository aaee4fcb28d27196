"""`espresso demo`: the whole stall on this machine.

The backend on the embedded database in a temporary directory, simulated customers and a
simulated barista working through the HTTP API, and the kiosk in this terminal. It prints how
to open the barista terminal and the phone page, before the kiosk takes the screen and again
on exit. Ctrl+C (or Ctrl+Q) stops everything and removes the temporary files.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from core.config import Settings
from espresso.demo_backend import DemoBackend, DemoError
from espresso.demo_sim import Simulation, SimulationThread


def instructions(backend: DemoBackend, phone_url: str) -> str:
    return "\n".join(
        [
            "Espresso demo: backend, simulated customers and barista, and the booth screen.",
            f"  backend      {backend.url}   (SQLite in {backend.directory})",
            f"  barista      espresso barista --server {backend.url} --config {backend.config_path}",
            f"  phone page   {phone_url}",
            "  stop         Ctrl+C (or Ctrl+Q) in the booth screen",
        ]
    )


def run(settings: Settings) -> int:
    directory = Path(tempfile.mkdtemp(prefix="espresso-demo-"))
    backend: DemoBackend | None = None
    simulation: SimulationThread | None = None
    told = ""
    try:
        backend = DemoBackend(settings, directory)
        backend.start()
        told = instructions(backend, backend.phone_url())
        print(told, flush=True)
        auth = backend.settings.auth
        simulation = SimulationThread(
            Simulation(backend.url, backend.store, auth.display_token, auth.barista_token)
        )
        simulation.start()
        return run_kiosk(backend)
    except DemoError as error:
        print(f"espresso demo: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if simulation is not None:
            simulation.stop()
        if backend is not None:
            backend.stop()
        shutil.rmtree(directory, ignore_errors=True)
        if told:
            print(f"\n{told}\nThe demo has stopped: its backend and temporary files are gone.", flush=True)


def run_kiosk(backend: DemoBackend) -> int:
    from kiosk.app import KioskApp
    from kiosk.feed_source import open_feed

    feed = open_feed(backend.settings, replica_path=backend.directory / "kiosk-replica.sqlite3")
    app = KioskApp(feed)

    def stop_app(signum: int, frame: FrameType | None) -> None:
        app.exit()  # SIGTERM/SIGHUP: leave the screen as cleanly as Ctrl+C does

    previous = {sig: signal.signal(sig, stop_app) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return app.return_code or 0

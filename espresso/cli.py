"""The `espresso` command: one entry point for the backend, both apps and the demo.

Each subcommand imports its package only when run, so `espresso kiosk` never loads the web
server and `espresso serve` never loads Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.app_start import terminal_app_start

if TYPE_CHECKING:
    from core.config import Settings

TERMINAL_APPS = ("kiosk", "barista")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="espresso", description="The espresso stall.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument(
            "--config", metavar="PATH", help="config file (default: ESPRESSO_CONFIG or config.toml)"
        )
        return p

    serve = command("serve", "Run the backend (HTTP API, event streams, phone page).")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--database", metavar="URL", help="sqlite:///path.db or postgresql://…")

    for name, help_ in (("kiosk", "The booth screen."), ("barista", "The barista terminal.")):
        app = command(name, help_)
        app.add_argument("--server", metavar="URL")
        app.add_argument("--store", metavar="ID")
        if name == "barista":
            app.add_argument("--name", help="your name, shown on the orders you claim")

    command("demo", "Everything on this machine: backend, simulated customers, the kiosk.")

    events = command("events", "The store's events as they flow, one line each.")
    events.add_argument("--server", metavar="URL")
    events.add_argument("--store", metavar="ID")
    events.add_argument("--follow", "-f", action="store_true", help="keep following new events")
    events.add_argument("--after", type=int, default=0, metavar="SEQ")

    sync = command("sync", "Sync this device's replica with the backend (headless).")
    sync.add_argument("--server", metavar="URL")
    sync.add_argument("--store", metavar="ID")
    sync.add_argument("--once", action="store_true", help="catch up, deliver the outbox, exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command not in TERMINAL_APPS:
        return _configured(args)
    with terminal_app_start():
        return _configured(args)


def _configured(args: argparse.Namespace) -> int:
    from core.config import BAD_CONFIG_EXIT, load_settings_or_report  # pydantic: inside the pause

    if (settings := load_settings_or_report(args.config, "espresso")) is None:
        return BAD_CONFIG_EXIT
    return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        from backend.server import serve

        return serve(settings, host=args.host, port=args.port, database=args.database)
    if args.command == "kiosk":
        from kiosk.app import run as run_kiosk

        return run_kiosk(settings, server=args.server, store=args.store)
    if args.command == "barista":
        from barista_tui.app import run as run_barista

        return run_barista(settings, server=args.server, store=args.store, name=args.name)
    if args.command == "demo":
        from espresso.demo import run as run_demo

        return run_demo(settings)
    if args.command == "events":
        from core.sync.events_cli import run as run_events

        return run_events(
            settings, server=args.server, store=args.store, follow=args.follow, after=args.after
        )
    if args.command == "sync":
        from core.sync.sync_cli import run as run_sync

        return run_sync(settings, server=args.server, store=args.store, once=args.once)
    raise AssertionError(args.command)

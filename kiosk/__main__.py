"""`python -m kiosk [--config P] [--server URL] [--store ID]`: the same as `espresso kiosk`.

It parses its own few options rather than going through `espresso.cli`, which would pull the
backend's import path into the app (the import contract forbids that).
"""

from __future__ import annotations

import argparse

from core.app_start import terminal_app_start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="The booth screen.")
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: ESPRESSO_CONFIG or config.toml)"
    )
    parser.add_argument("--server", metavar="URL")
    parser.add_argument("--store", metavar="ID")
    args = parser.parse_args(argv)
    with terminal_app_start():
        from core.config import BAD_CONFIG_EXIT, load_settings_or_report
        from kiosk.app import run

        if (settings := load_settings_or_report(args.config, "kiosk")) is None:
            return BAD_CONFIG_EXIT
        return run(settings, server=args.server, store=args.store)


if __name__ == "__main__":
    raise SystemExit(main())

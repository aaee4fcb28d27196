"""`python -m barista_tui [--config P] [--server URL] [--store ID] [--name NAME]`: the same as
`espresso barista` (parsed here, so the terminal never loads the backend's command line)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.app_start import terminal_app_start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barista_tui", description="The barista terminal.")
    parser.add_argument("--config", metavar="PATH", help="the config file")
    parser.add_argument("--server", metavar="URL")
    parser.add_argument("--store", metavar="ID")
    parser.add_argument("--name", help="your name, shown on the orders you claim")
    args = parser.parse_args(argv)
    with terminal_app_start():
        from barista_tui.app import run
        from core.config import BAD_CONFIG_EXIT, load_settings_or_report

        if (settings := load_settings_or_report(args.config, "barista")) is None:
            return BAD_CONFIG_EXIT
        return run(settings, server=args.server, store=args.store, name=args.name)


if __name__ == "__main__":
    sys.exit(main())

"""How every terminal app's command starts it: the work that only start-up needs, skipped.

    with terminal_app_start():   # before the app's imports, around its run
        from kiosk.app import run
        ...

The cyclic collector is paused until the first screen (core/collector.py) and pydantic
does not look for plugins (core/pydantic_plugins.py). `espresso kiosk|barista`,
`python -m kiosk|barista_tui` and the apps benchmark all start an app this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.collector import collector_paused
from core.pydantic_plugins import skip_plugin_discovery


@contextmanager
def terminal_app_start() -> Iterator[None]:
    skip_plugin_discovery()
    with collector_paused():
        yield

"""`core` stays headless: importing it loads neither Textual nor the web framework."""

import subprocess
import sys

FORBIDDEN = ("textual", "fastapi", "starlette", "uvicorn")


def test_importing_core_loads_no_ui_or_web_framework() -> None:
    probe = (
        "import sys, importlib, pkgutil, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_apps_start_without_pydantic_plugin_discovery() -> None:
    # The apps' commands start them through terminal_app_start, which skips it
    # (core/pydantic_plugins.py): it imported importlib.metadata and read every installed
    # package's entry points before their first screen.
    probe = (
        "import sys\n"
        "from core.app_start import terminal_app_start\n"
        "with terminal_app_start():\n"
        "    from core.config import load_settings\n"
        "    from core.events import EVENT_LIST, check_event, make_event\n"
        "    load_settings()\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

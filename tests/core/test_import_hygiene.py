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

"""Where a device keeps its replicas: one SQLite file per (server, store, device name).

Under `$XDG_DATA_HOME/espresso/` (else `~/.local/share/espresso/`); `ESPRESSO_DATA_DIR`
overrides the whole directory (tests and kiosks on read-only homes use it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def data_dir(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if explicit := env.get("ESPRESSO_DATA_DIR"):
        return Path(explicit)
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "espresso"


def slug(text: str) -> str:
    """A file-name-safe form of any text (never empty)."""
    return _UNSAFE.sub("_", text).strip("._") or "_"


def server_slug(server: str) -> str:
    parts = urlsplit(server)
    host = parts.hostname or parts.path or server
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return slug(f"{host}_{port}")


def replica_dir(server: str, store: str, base: Path | None = None) -> Path:
    return (base or data_dir()) / "replicas" / server_slug(server) / slug(store)


def replica_path(server: str, store: str, device_name: str, base: Path | None = None) -> Path:
    """The replica of `store` on `server` kept by the app running as `device_name`."""
    return replica_dir(server, store, base) / f"{slug(device_name)}.sqlite3"

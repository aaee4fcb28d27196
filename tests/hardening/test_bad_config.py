"""Bad configuration and a store that does not exist, through the real entry points: a plain
message that names the problem, exit status 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.config import write_config
from tests.support.server import REPO_ROOT, BackendServer

BAD_CONFIGS = {
    "toml": ("[server\nport = 80\n", "not valid TOML"),
    "type": ('[server]\nport = "eighty"\n', "server.port"),
    "range": ("[stores.booth]\nmax_queue = 0\n", "stores.booth.max_queue"),
    "unknown key": ("[server]\nprot = 8000\n", "server.prot"),
    "bad database": ('[server]\ndatabase = "mysql://x"\n', "server.database"),
    "encoding": (b"\xff\xfe[server]\n", "cannot read"),
}
COMMANDS = {
    "serve": ["-m", "espresso", "serve"],
    "kiosk": ["-m", "espresso", "kiosk"],
    "barista": ["-m", "espresso", "barista"],
    "python -m kiosk": ["-m", "kiosk"],
    "python -m barista_tui": ["-m", "barista_tui"],
}


def run(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _broken(tmp_path: Path, problem: str) -> Path:
    text = BAD_CONFIGS[problem][0]
    path = tmp_path / "broken.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _refused_plainly(result: subprocess.CompletedProcess[str], named: str) -> None:
    assert result.returncode == 2, result
    assert "broken.toml" in result.stderr and named in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("problem", list(BAD_CONFIGS))
def test_a_bad_config_is_named_plainly(tmp_path: Path, problem: str) -> None:
    result = run([*COMMANDS["serve"], "--config", str(_broken(tmp_path, problem))])
    _refused_plainly(result, BAD_CONFIGS[problem][1])


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "serve"])
def test_every_command_refuses_a_bad_config_the_same_way(tmp_path: Path, command: str) -> None:
    result = run([*COMMANDS[command], "--config", str(_broken(tmp_path, "type"))])
    _refused_plainly(result, "server.port")


def test_the_environment_can_point_at_a_bad_config_too(tmp_path: Path) -> None:
    path = tmp_path / "from-env.toml"
    path.write_text("[stores.booth]\ndrinks_per_code = -5\n")
    result = run(["-m", "espresso", "serve"], env={"ESPRESSO_CONFIG": str(path)})
    assert result.returncode == 2 and "stores.booth.drinks_per_code" in result.stderr
    missing = run(["-m", "espresso", "serve", "--config", str(tmp_path / "nowhere.toml")])
    assert missing.returncode == 2 and "nowhere.toml" in missing.stderr and "Traceback" not in missing.stderr


def test_a_database_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml")
    garbage = tmp_path / "events.db"
    garbage.write_bytes(b"this is not a database" * 100)
    result = run(["-m", "espresso", "serve", "--config", str(config), "--database", f"sqlite:///{garbage}"])
    assert result.returncode == 2 and "cannot open the database" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert garbage.read_bytes() == b"this is not a database" * 100  # left as it was


@pytest.mark.parametrize(
    "entry",
    [["-m", "espresso", "kiosk"], ["-m", "kiosk"], ["-m", "espresso", "barista"], ["-m", "barista_tui"]],
    ids=["espresso kiosk", "python -m kiosk", "espresso barista", "python -m barista_tui"],
)
def test_an_unknown_store_is_said_plainly(
    backend_server: BackendServer, tmp_path: Path, entry: list[str]
) -> None:
    assert httpx.get(f"{backend_server.url}/api/v1/stores/nope").status_code == 404
    config = backend_server.config_path
    result = run(
        [*entry, "--config", str(config), "--server", backend_server.url, "--store", "nope"],
        env={"ESPRESSO_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2, result
    assert "no store 'nope'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_published_tokens_are_refused_on_anything_but_this_machine(tmp_path: Path) -> None:
    config = tmp_path / "defaults.toml"
    config.write_text('[stores.booth]\nname = "Booth"\n')  # no [auth]: the change-me-* tokens
    database = f"sqlite:///{tmp_path / 'events.db'}"
    serve = ["-m", "espresso", "serve", "--config", str(config), "--port", "0", "--database", database]
    for host in ("0.0.0.0", "stall.example"):
        refused = run([*serve, "--host", host])
        assert refused.returncode == 2, refused
        assert "auth.admin_token, auth.barista_token, auth.display_token" in refused.stderr
        assert "Traceback" not in refused.stderr
    # One token set from the environment: the other two are still named.
    partly = run([*serve, "--host", "0.0.0.0"], env={"ESPRESSO_ADMIN_TOKEN": "x" * 32})
    assert partly.returncode == 2 and "auth.barista_token, auth.display_token" in partly.stderr
    assert "auth.admin_token" not in partly.stderr
    assert not (tmp_path / "events.db").exists()  # refused before anything was opened

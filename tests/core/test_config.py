"""Configuration: the file, its checks, and what the environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import REPO_CONFIG, ConfigError, Settings, config_path, load_settings
from core.menu import Menu
from espresso.cli import main

GOOD = """
[server]
port = 9001
public_url = "http://stall.example/"

[stores.cart]
name = "Coffee Cart"
open = true
max_queue = 3
timezone = "Europe/Berlin"

[[stores.cart.menu]]
id = "flat-white"
name = "Flat White"
options = [{ id = "milk", name = "Milk", choices = ["Whole", "Oat"], default = "whole" }]
"""
NO_OVERRIDES: dict[str, str] = {}


def write(tmp_path: Path, text: str, name: str = "stall.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Settings:
    return load_settings(write(tmp_path, text), environ=NO_OVERRIDES)


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def test_the_repository_config_is_valid_and_seeds_the_booth() -> None:
    settings = load_settings(REPO_CONFIG, environ=NO_OVERRIDES)
    booth = settings.store("booth")
    assert booth is not None and booth.max_queue == 20 and booth.open is False
    assert [i.id for i in booth.seed_menu.items][:2] == ["espresso", "flat-white"]
    assert settings.store("nowhere") is None and settings.client.store == "booth"


def test_a_good_file_is_read_into_frozen_settings(tmp_path: Path) -> None:
    settings = load(tmp_path, GOOD)
    cart = settings.stores["cart"]
    assert (settings.server.port, settings.server.public_url) == (9001, "http://stall.example")
    assert (cart.name, cart.open, cart.max_queue, cart.barista_timeout_s) == ("Coffee Cart", True, 3, 900)
    assert cart.seed_menu.item("flat-white").option("milk").default == "Whole"  # type: ignore[union-attr]
    assert isinstance(cart.seed_menu, Menu) and str(cart.zone) == "Europe/Berlin"
    assert settings.source.endswith("stall.toml")
    with pytest.raises(ValueError, match="frozen"):
        cart.max_queue = 4  # type: ignore[misc]


def test_malformed_toml_names_the_file_and_where(tmp_path: Path) -> None:
    message = problem(tmp_path, "[stores.cart]\nmax_queue = = 3\n")
    assert "stall.toml" in message and "not valid TOML" in message and "line 2" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[stores.cart]\ncolour = 'red'\n", "stores.cart.colour: unknown key"),
        ("[serverr]\nport = 1\n", "serverr: unknown key"),
        ("[stores.cart]\nmax_queue = 'twenty'\n", "stores.cart.max_queue: Input should be a valid integer"),
        ("[stores.cart]\nmax_queue = true\n", "stores.cart.max_queue: Input should be a valid integer"),
        (
            "[stores.cart]\nmax_queue = 0\n",
            "stores.cart.max_queue: Input should be greater than or equal to 1",
        ),
        ("[stores.cart]\nopen = 'yes'\n", "stores.cart.open: Input should be a valid boolean"),
        ("[server]\nport = '8000'\n", "server.port: Input should be a valid integer"),
        (
            "[stores.cart]\ntimezone = 'Mars/Olympus'\n",
            "stores.cart.timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            "[server]\ndatabase = 'mysql://x'\n",
            "server.database: must start with sqlite:/// or postgresql://",
        ),
        (
            "[[stores.cart.menu]]\nid = 'tea'\nname = 'Tea'\n"
            "options = [{ id = 'milk', name = 'Milk', choices = ['Whole'], default = 'Rice' }]\n",
            "stores.cart.menu.0.options.0: option 'milk': default 'Rice' is not one of its choices",
        ),
        (
            "[[stores.cart.menu]]\nid = 'tea'\nname = 'Tea'\n" * 2,
            "stores.cart.menu: duplicate item ids",
        ),
    ],
)
def test_a_bad_value_names_the_key_and_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    message = problem(tmp_path, text)
    assert expected in message and message.startswith(str(tmp_path / "stall.toml"))


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml", environ=NO_OVERRIDES)


def test_the_environment_overrides_tokens_and_database(tmp_path: Path) -> None:
    environ = {
        "ESPRESSO_ADMIN_TOKEN": "a-secret",
        "ESPRESSO_BARISTA_TOKEN": "b-secret",
        "ESPRESSO_DISPLAY_TOKEN": "d-secret",
        "ESPRESSO_DATABASE": "postgresql://postgres@db/stall",
    }
    text = GOOD + "\n[auth]\nadmin_token = 'from-file'\n"
    settings = load_settings(write(tmp_path, text), environ=environ)
    assert (settings.auth.admin_token, settings.auth.barista_token, settings.auth.display_token) == (
        "a-secret",
        "b-secret",
        "d-secret",
    )
    assert settings.server.database == "postgresql://postgres@db/stall"
    assert load_settings(write(tmp_path, text), environ={}).auth.admin_token == "from-file"
    with pytest.raises(ConfigError, match=r"server\.database"):
        load_settings(write(tmp_path, GOOD), environ={"ESPRESSO_DATABASE": "nonsense"})


def test_the_process_environment_is_read_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPRESSO_BARISTA_TOKEN", "from-env")
    assert load_settings(write(tmp_path, GOOD)).auth.barista_token == "from-env"


def test_which_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESPRESSO_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert config_path() == REPO_CONFIG  # nothing here: the repository's own
    local = write(tmp_path, GOOD, "config.toml")
    assert config_path() == Path("config.toml") and config_path().resolve() == local
    chosen = write(tmp_path, GOOD, "chosen.toml")
    monkeypatch.setenv("ESPRESSO_CONFIG", str(chosen))
    assert config_path() == chosen
    explicit = write(tmp_path, GOOD, "explicit.toml")
    assert config_path(explicit) == explicit  # --config wins over ESPRESSO_CONFIG


def test_the_command_line_reads_config_and_reports_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write(tmp_path, "[stores.cart]\nmax_queue = -1\n", "broken.toml")
    fine = write(tmp_path, GOOD, "fine.toml")
    monkeypatch.setenv("ESPRESSO_CONFIG", str(broken))
    assert main(["kiosk"]) == 2
    assert "broken.toml" in capsys.readouterr().err
    monkeypatch.setenv("ESPRESSO_CONFIG", str(fine))
    assert main(["kiosk", "--config", str(broken)]) == 2  # --config wins
    assert "stores.cart.max_queue" in capsys.readouterr().err

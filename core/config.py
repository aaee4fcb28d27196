"""Configuration: `config.toml` read once into frozen, validated settings.

The path comes from `--config`, else `ESPRESSO_CONFIG`, else `config.toml` in the working
directory, else the repository's own. Tokens and the database URL may be overridden from the
environment (API.md).
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.menu import Menu, MenuItem

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"

ENV_OVERRIDES = {
    "ESPRESSO_ADMIN_TOKEN": ("auth", "admin_token"),
    "ESPRESSO_BARISTA_TOKEN": ("auth", "barista_token"),
    "ESPRESSO_DISPLAY_TOKEN": ("auth", "display_token"),
    "ESPRESSO_DATABASE": ("server", "database"),
}


class _Frozen(BaseModel):
    # Strict: a TOML value of the wrong type (`max_queue = true`, `port = "80"`) is an error,
    # not silently converted.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class ServerConfig(_Frozen):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    database: str = "sqlite:///espresso.db"
    public_url: str = "http://127.0.0.1:8000"
    order_starts_per_minute: int = Field(default=30, ge=1)

    @field_validator("database")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class AuthConfig(_Frozen):
    admin_token: str = Field(default="change-me-admin", min_length=1)
    barista_token: str = Field(default="change-me-barista", min_length=1)
    display_token: str = Field(default="change-me-display", min_length=1)


class StoreConfig(_Frozen):
    name: str = "Serverless Espresso"
    open: bool = False
    max_queue: int = Field(default=20, ge=1)
    drinks_per_code: int = Field(default=10, ge=1)
    code_rotation_s: int = Field(default=300, ge=1)
    code_grace_s: int = Field(default=30, ge=0)
    customer_timeout_s: float = Field(default=300, gt=0)
    barista_timeout_s: float = Field(default=900, gt=0)
    max_open_orders_per_customer: int = Field(default=1, ge=1)
    timezone: str = "UTC"
    menu: tuple[MenuItem, ...] = Field(default=(), strict=False)  # TOML gives a list
    # Barista terminal: order ages (seconds) at which a card turns to warning and late.
    age_warning_s: float = Field(default=120, gt=0)
    age_late_s: float = Field(default=300, gt=0)
    # Kiosk: how long a number stays on the ready board.
    ready_display_s: float = Field(default=180, gt=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("menu")
    @classmethod
    def _valid_menu(cls, value: tuple[MenuItem, ...]) -> tuple[MenuItem, ...]:
        Menu(items=value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def seed_menu(self) -> Menu:
        return Menu(items=self.menu)


class ClientConfig(_Frozen):
    server: str = "http://127.0.0.1:8000"
    store: str = "booth"
    bell: bool = True

    @field_validator("server")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class Settings(_Frozen):
    server: ServerConfig = ServerConfig()
    auth: AuthConfig = AuthConfig()
    stores: dict[str, StoreConfig] = Field(default_factory=dict)
    client: ClientConfig = ClientConfig()
    source: str = Field(default="<defaults>", exclude=True)

    def store(self, store_id: str) -> StoreConfig | None:
        return self.stores.get(store_id)


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, key and problem."""


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if env := os.environ.get("ESPRESSO_CONFIG"):
        return Path(env)
    local = Path("config.toml")
    return local if local.exists() else REPO_CONFIG


def load_settings(
    path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read, override from the environment and validate the configuration."""
    source = config_path(path)
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"{source}: no such config file") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{source}: cannot read: {error}") from error
    return settings_from_mapping(raw, source=str(source), environ=environ)


BAD_CONFIG_EXIT = 2  # a command's exit status for a config it cannot use


def load_settings_or_report(path: str | os.PathLike[str] | None, program: str) -> Settings | None:
    """`load_settings` for a command: a config it cannot use is reported on stderr as
    `<program>: bad config: …` and gives None (the command then exits with BAD_CONFIG_EXIT)."""
    try:
        return load_settings(path)
    except ConfigError as error:
        print(f"{program}: bad config: {error}", file=sys.stderr)
        return None


def settings_from_mapping(
    raw: Mapping[str, Any], *, source: str = "<config>", environ: Mapping[str, str] | None = None
) -> Settings:
    environ = os.environ if environ is None else environ
    data: dict[str, Any] = {
        key: dict(value) if isinstance(value, Mapping) else value for key, value in raw.items()
    }
    for variable, (section, key) in ENV_OVERRIDES.items():
        if value := environ.get(variable):
            data.setdefault(section, {})
            if isinstance(data[section], dict):
                data[section][key] = value
    try:
        return Settings.model_validate({**data, "source": source})
    except ValidationError as error:
        raise ConfigError(f"{source}: " + "; ".join(_describe(e) for e in error.errors())) from error


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{location}: {message}"

"""Write a config file for a test: the repository's defaults with overrides.

    write_config(tmp_path / "config.toml", store={"open": True, "customer_timeout_s": 1})

Values are TOML-encoded here (no extra dependency). Tokens default to the `TOKENS` below.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TOKENS = {"admin": "test-admin-token", "barista": "test-barista-token", "display": "test-display-token"}

MENU: list[dict[str, Any]] = [
    {
        "id": "espresso",
        "name": "Espresso",
        "available": True,
        "options": [{"id": "shots", "name": "Shots", "choices": ["Single", "Double"], "default": "Single"}],
    },
    {
        "id": "flat-white",
        "name": "Flat White",
        "available": True,
        "options": [{"id": "milk", "name": "Milk", "choices": ["Whole", "Oat", "Soy"], "default": "Whole"}],
    },
    {
        "id": "latte",
        "name": "Latte",
        "available": True,
        "options": [
            {"id": "milk", "name": "Milk", "choices": ["Whole", "Oat", "Soy"], "default": "Whole"},
            {"id": "size", "name": "Size", "choices": ["Small", "Large"], "default": "Small"},
        ],
    },
    {"id": "americano", "name": "Americano", "available": True, "options": []},
]

STORE_DEFAULTS: dict[str, Any] = {
    "name": "Test Espresso",
    "open": True,
    "max_queue": 20,
    "drinks_per_code": 10,
    # Windows are aligned to the epoch: a short one would rotate the code in the middle of a
    # test that counts a code's uses. Tests of rotation set their own.
    "code_rotation_s": 10_000_000,
    "code_grace_s": 30,
    "customer_timeout_s": 300,
    "barista_timeout_s": 900,
    "max_open_orders_per_customer": 1,
    "timezone": "UTC",
}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def config_text(
    *,
    server: Mapping[str, Any] | None = None,
    store: Mapping[str, Any] | None = None,
    stores: Mapping[str, Mapping[str, Any]] | None = None,
    menu: list[dict[str, Any]] | None = None,
    client: Mapping[str, Any] | None = None,
    tokens: Mapping[str, str] | None = None,
) -> str:
    """The TOML text. `store` overrides the one store `booth`; `stores` gives several."""
    # Tests start many orders from 127.0.0.1: the rate limit is high unless a test lowers it.
    server_table = {
        "host": "127.0.0.1",
        "port": 0,
        "database": "sqlite:///espresso.db",
        "order_starts_per_minute": 100_000,
        **(server or {}),
    }
    tok = {**TOKENS, **(tokens or {})}
    lines = ["[server]", *(f"{k} = {_value(v)}" for k, v in server_table.items()), ""]
    lines += ["[auth]", *(f"{role}_token = {_value(t)}" for role, t in tok.items()), ""]
    all_stores = stores if stores is not None else {"booth": store or {}}
    for store_id, overrides in all_stores.items():
        table = {**STORE_DEFAULTS, **overrides}
        items = table.pop("menu", menu if menu is not None else MENU)
        lines += [f"[stores.{json.dumps(store_id)}]", *(f"{k} = {_value(v)}" for k, v in table.items()), ""]
        for item in items:
            lines += [
                f"[[stores.{json.dumps(store_id)}.menu]]",
                *(f"{k} = {_value(v)}" for k, v in item.items()),
                "",
            ]
    client_table = {"server": "http://127.0.0.1:8000", "store": next(iter(all_stores)), **(client or {})}
    lines += ["[client]", *(f"{k} = {_value(v)}" for k, v in client_table.items()), ""]
    return "\n".join(lines)


def write_config(path: Path, **overrides: Any) -> Path:
    """Write the config file (see `config_text` for the overrides) and return its path."""
    path.write_text(config_text(**overrides), encoding="utf-8")
    return path

"""Writing a configuration back out as TOML (the standard library only reads it).

Enough TOML for `config.toml`: tables, nested tables, arrays of tables (the menu), and inline
values (strings, numbers, booleans, lists, inline tables). `None` values are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list | tuple) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, Mapping):
        items = (f"{_key(k)} = {inline(v)}" for k, v in value.items() if v is not None)
        return "{ " + ", ".join(items) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    _table(lines, [], data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], path: list[str], table: Mapping[str, Any]) -> None:
    scalars = {
        k: v for k, v in table.items() if v is not None and not _is_table(v) and not _is_table_array(v)
    }
    if path and (scalars or len(scalars) == len(table)):  # `[stores]` alone says nothing
        lines += ["", f"[{'.'.join(_key(p) for p in path)}]"]
    lines += [f"{_key(key)} = {inline(value)}" for key, value in scalars.items()]
    for key, value in table.items():
        if _is_table(value):
            _table(lines, [*path, key], value)
    for key, value in table.items():
        if _is_table_array(value):
            for item in value:
                lines += ["", f"[[{'.'.join(_key(p) for p in [*path, key])}]]"]
                lines += [f"{_key(k)} = {inline(v)}" for k, v in item.items() if v is not None]

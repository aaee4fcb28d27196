"""The demo writes its config as TOML: what it writes reads back as the same settings."""

from __future__ import annotations

import tomllib

from core.config import REPO_CONFIG, load_settings, settings_from_mapping
from espresso.toml_text import to_toml


def test_the_repository_config_round_trips() -> None:
    settings = load_settings(REPO_CONFIG, environ={})
    data = settings.model_dump(mode="json")
    text = to_toml(data)
    assert tomllib.loads(text) == data
    assert settings_from_mapping(tomllib.loads(text), environ={}).model_dump() == settings.model_dump()
    assert "[stores]" not in text  # only tables that hold something get a header


def test_awkward_strings_and_keys() -> None:
    data = {"a": {"quote": 'say "hi"\n\\ done', "unicode": "Zoë ☕", "odd key": [1, 2.5, True]}}
    assert tomllib.loads(to_toml(data)) == data

"""Refuse to serve a network with the tokens everyone knows.

`config.toml` ships with `change-me-*` tokens, fine on this machine alone. The project is
open source: on any other address, anyone at the venue could use them to act as staff.
"""

from __future__ import annotations

import ipaddress

from core.config import AuthConfig, Settings


def _only_this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: assume others can reach it


def published_tokens(settings: Settings) -> list[str]:
    """The config keys whose token is still the published default."""
    return [
        f"auth.{name}"
        for name, field in AuthConfig.model_fields.items()
        if getattr(settings.auth, name) == field.default
    ]


def exposure_problem(settings: Settings, host: str) -> str | None:
    """Why serving `host` with these settings is refused, or None."""
    defaults = published_tokens(settings)
    if not defaults or _only_this_machine(host):
        return None
    return (
        f"refusing to serve {host} with the published default token(s) {', '.join(defaults)}: "
        "set long random tokens in the config's [auth] table or in ESPRESSO_ADMIN_TOKEN, "
        "ESPRESSO_BARISTA_TOKEN and ESPRESSO_DISPLAY_TOKEN (see SECURITY.md)"
    )

"""QR codes: one unguessable code per store per rotation window.

code = HMAC-SHA256(secret, store | window), base32, 16 characters (80 bits). Windows are
aligned to the Unix epoch: window = floor(unix time / code_rotation_s). The previous
window's code is still good for `code_grace_s` after its window ends.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.config import StoreConfig

CODE_LENGTH = 16


def window_of(moment: datetime, rotation_s: int) -> int:
    return int(moment.timestamp() // rotation_s)


def window_end(window: int, rotation_s: int) -> datetime:
    return datetime.fromtimestamp((window + 1) * rotation_s, UTC)


@functools.lru_cache(maxsize=256)  # asked on every order start and code read; a window lasts minutes
def code_for(secret: bytes, store: str, window: int) -> str:
    digest = hmac.new(secret, f"{store}|{window}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH].lower()


@dataclass(frozen=True, slots=True)
class CurrentCode:
    code: str
    window: int
    expires_at: datetime


def current_code(secret: bytes, store: str, config: StoreConfig, now: datetime) -> CurrentCode:
    window = window_of(now, config.code_rotation_s)
    return CurrentCode(code_for(secret, store, window), window, window_end(window, config.code_rotation_s))


def match_window(secret: bytes, store: str, config: StoreConfig, code: str, now: datetime) -> int | None:
    """The window `code` belongs to if it is good now (current, or previous within grace)."""
    if not isinstance(code, str) or len(code) != CODE_LENGTH or not code.isascii():
        return None  # (compare_digest refuses non-ASCII text: a hostile code must not raise)
    window = window_of(now, config.code_rotation_s)
    candidates = [window]
    grace_until = window_end(window - 1, config.code_rotation_s) + timedelta(seconds=config.code_grace_s)
    if now < grace_until:
        candidates.append(window - 1)
    for candidate in candidates:
        if hmac.compare_digest(code_for(secret, store, candidate), code.lower()):
            return candidate
    return None

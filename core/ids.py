"""Identifiers: globally unique, time-ordered, made where a thing is born."""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> str:
    """A UUIDv7-style id: 48 bits of Unix milliseconds, then 74 random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def derived_id(parent: str, index: int) -> str:
    """A stable id for the index-th thing a command makes, so a retry makes the same ids."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{parent}/{index}"))

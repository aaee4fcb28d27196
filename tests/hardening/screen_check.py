"""Reading a Textual screen for hostile text: the literal characters are there, and no
markup, link or escape sequence took effect."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.app import App

from tests.kiosk.screen_reading import screen_strips


def segments(app: App[Any]) -> list[Segment]:
    return [segment for strip in screen_strips(app) for segment in strip]


def not_in_one_style(app: App[Any], pieces: list[str]) -> list[str]:
    """The pieces of text that are not drawn whole within one segment (one style). Markup that
    took effect would style part of a name apart (`x` bold red, its brackets gone)."""
    drawn = [segment.text for segment in segments(app)]
    return [piece for piece in pieces if not any(piece in text for text in drawn)]


def links(app: App[Any]) -> list[str]:
    return [f"{s.text!r} -> {s.style.link}" for s in segments(app) if s.style is not None and s.style.link]


def control_characters(app: App[Any]) -> list[str]:
    """Any C0/C1 control character in what the screen draws (ESC, BEL, CSI...)."""
    return [
        repr(s.text)
        for s in segments(app)
        if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in s.text) and not s.control
    ]

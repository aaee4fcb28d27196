"""Reading a Textual screen for hostile text: the literal characters are there, and no
markup, link or escape sequence took effect."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.app import App

from tests.kiosk.screen_reading import screen_strips

MARKUP_SIGNS = ("[", "<")


def segments(app: App[Any]) -> list[Segment]:
    return [segment for strip in screen_strips(app) for segment in strip]


def effects_on_markup_text(app: App[Any]) -> list[str]:
    """Segments showing `[` or `<` that carry a link or a text effect: markup that ran."""
    found = []
    for segment in segments(app):
        if not any(sign in segment.text for sign in MARKUP_SIGNS):
            continue
        style = segment.style
        if style is None:
            continue
        if style.link or style.meta.get("@click") or style.bold or style.italic or style.underline:
            found.append(f"{segment.text!r}: {style}")
    return found


def links(app: App[Any]) -> list[str]:
    return [f"{s.text!r} -> {s.style.link}" for s in segments(app) if s.style is not None and s.style.link]


def control_characters(app: App[Any]) -> list[str]:
    """Any C0/C1 control character in what the screen draws (ESC, BEL, CSI...)."""
    return [
        repr(s.text)
        for s in segments(app)
        if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in s.text) and not s.control
    ]

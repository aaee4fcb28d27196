"""Events of a type this version does not know, as a newer backend may send them.

Refusing such an event would stop the app following its store right there, and every later
event with it. So it is left out (the backend keeps it: an updated app will show it), the
person at the screen is told once per kind, and everything else is shown as usual. An event
of a known type that does not parse is still an error: that is a broken event, not a newer one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from core.events import EVENT_TYPES, Event

log = logging.getLogger(__name__)


def _kind(raw: str | bytes | Mapping[str, Any]) -> str | None:
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    kind = raw.get("type") if isinstance(raw, Mapping) else None
    return kind if isinstance(kind, str) else None


def describe(kind: str) -> str:
    """What the screen says, once per kind."""
    return (
        f"The server sent “{kind[:40]}” events, which this version of the app does not know: they "
        "are left out here (the server keeps them). Update the app to see them; everything else "
        "is shown as usual."
    )


class UnknownEvents:
    """Parses events from the backend, leaving out the kinds it does not know."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()  # the unknown kinds seen so far
        self.on_new_kind: Callable[[str], None] = lambda kind: None

    def parse(self, raw: str | bytes | Mapping[str, Any]) -> Event | None:
        """The event, or None for one of a kind this version does not know."""
        try:
            if isinstance(raw, str | bytes):
                return Event.model_validate_json(raw)
            return Event.model_validate(raw)
        except ValidationError:
            kind = _kind(raw)
            if kind is None or kind in EVENT_TYPES:
                raise
            if kind not in self.kinds:
                self.kinds.add(kind)
                log.warning("left out %r events: this version does not know them", kind)
                self.on_new_kind(kind)
            return None

"""Server-Sent Events, parsed line by line (the WHATWG event-stream format).

`feed(line)` takes one line without its line ending and returns a message when a blank line
completes one. Comment lines (starting with ':') are keep-alives: they only show the link
is alive, which the caller notes for every line it reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseMessage:
    event: str  # "message" when the stream names none
    data: str
    id: str | None  # the last event id in force when the message was dispatched


class SseParser:
    def __init__(self) -> None:
        self.last_id: str | None = None
        self._event = ""
        self._data: list[str] = []

    def feed(self, line: str) -> SseMessage | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_id = value
        return None  # "retry" and unknown fields are ignored

    def _dispatch(self) -> SseMessage | None:
        event, data = self._event or "message", self._data
        self._event, self._data = "", []
        if not data:
            return None
        return SseMessage(event=event, data="\n".join(data), id=self.last_id)

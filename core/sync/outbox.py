"""Outbox entries: what a device did that the backend has not acknowledged yet.

Two kinds:
- `push`: a command decided here while offline; its events (already in the replica) go to
  `POST /api/v1/stores/{store}/events`, accepted once thanks to their ids.
- `http`: a request whose outcome is unknown (sent, then the link broke) or that only the
  backend may decide (opening the store); it is sent again with the same Idempotency-Key.
  Its `events` are provisional: shown locally until the backend answers, then dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from core.events import Event

Kind = Literal["push", "http"]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    command_id: str
    kind: Kind
    created_at: datetime
    label: str  # plain words for the user: "complete #42"
    events: tuple[Event, ...] = ()
    method: str = "POST"
    path: str = ""
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    order_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "command_id": self.command_id,
                "kind": self.kind,
                "created_at": self.created_at.isoformat(),
                "label": self.label,
                "events": [e.model_dump(mode="json") for e in self.events],
                "method": self.method,
                "path": self.path,
                "body": self.body,
                "headers": self.headers,
                "order_id": self.order_id,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> OutboxEntry:
        raw = json.loads(text)
        return cls(
            command_id=raw["command_id"],
            kind=raw["kind"],
            created_at=datetime.fromisoformat(raw["created_at"]),
            label=raw["label"],
            events=tuple(Event.model_validate(e) for e in raw["events"]),
            method=raw["method"],
            path=raw["path"],
            body=raw["body"],
            headers=dict(raw.get("headers") or {}),
            order_id=raw.get("order_id"),
        )

    @property
    def provisional(self) -> tuple[Event, ...]:
        """Events shown only until this entry is settled."""
        return self.events if self.kind == "http" else ()

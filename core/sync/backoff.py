"""Reconnect delays: exponential with full jitter, capped low so recovery stays quick."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    first_s: float = 0.1
    cap_s: float = 2.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.Random)
    attempts: int = 0

    def next_delay(self) -> float:
        """The wait before the next attempt: uniform in [ceiling/2, ceiling], where the
        ceiling doubles per failure up to `cap_s` (half-jitter: spread, never zero)."""
        ceiling = min(self.cap_s, self.first_s * self.factor**self.attempts)
        self.attempts += 1
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempts = 0

"""What the simulated phones and baristas saw: the latency from an order placed (the phone
has the answer) to each barista stream receiving its `OrderPlaced`, how far behind each
stream ran, the requests' own latencies, and the lifecycles finished."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime

_ORDER_ID = b'"order_id":"'
_TIME = b'"time":"'


def field(data: bytes, name: bytes) -> str:
    at = data.find(name)
    if at < 0:
        return ""
    start = at + len(name)
    return data[start : data.index(b'"', start)].decode()


class Recorder:
    def __init__(self) -> None:
        self.measuring = False
        self.placed: dict[str, float] = {}
        self.seen_early: dict[str, list[float]] = defaultdict(list)
        self.placed_to_stream: list[float] = []
        self.lags: list[float] = []
        self.max_lag_by_stream: dict[str, float] = defaultdict(float)
        self.requests: dict[str, list[float]] = defaultdict(list)
        self.lifecycles = 0
        self.lifecycle_times: list[float] = []
        self.errors: dict[str, int] = defaultdict(int)

    def reset(self) -> None:
        self.placed_to_stream.clear()
        self.lags.clear()
        self.max_lag_by_stream.clear()
        self.requests.clear()
        self.lifecycles = 0
        self.lifecycle_times.clear()

    # -- phones -------------------------------------------------------------------------

    def order_placed(self, order_id: str) -> None:
        now = time.perf_counter()
        self.placed[order_id] = now
        early = self.seen_early.pop(order_id, None)
        if early and self.measuring:
            self.placed_to_stream.extend(seen - now for seen in early)

    def request(self, step: str, seconds: float) -> None:
        if self.measuring:
            self.requests[step].append(seconds)

    def lifecycle(self, seconds: float) -> None:
        if self.measuring:
            self.lifecycles += 1
            self.lifecycle_times.append(seconds)

    def error(self, what: str) -> None:
        self.errors[what] += 1

    # -- barista streams ----------------------------------------------------------------

    def stream_event(self, stream: str, kind: bytes, data: bytes) -> str:
        """Note one event seen on a store stream; returns its order id."""
        now = time.perf_counter()
        order_id = field(data, _ORDER_ID)
        if self.measuring:
            stamp = field(data, _TIME)
            if stamp:
                lag = time.time() - datetime.fromisoformat(stamp).timestamp()
                self.lags.append(lag)
                if lag > self.max_lag_by_stream[stream]:
                    self.max_lag_by_stream[stream] = lag
        if kind == b"OrderPlaced" and order_id:
            placed = self.placed.get(order_id)
            if placed is None:
                self.seen_early[order_id].append(now)
            elif self.measuring:
                self.placed_to_stream.append(now - placed)
        return order_id

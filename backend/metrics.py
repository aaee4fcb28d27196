"""Prometheus metrics in the text exposition format, written here (a few counters and one
histogram do not justify a dependency). Labels are route templates, store ids and states:
never names, order ids, numbers or tokens."""

from __future__ import annotations

import time
from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.orders import OrderStatus

if TYPE_CHECKING:
    from backend.runtime import Backend

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Histogram:
    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds
        self.n += 1


class Metrics:
    def __init__(self) -> None:
        self.latency: dict[tuple[str, str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, str(status))
        histogram = self.latency.get(key)
        if histogram is None:
            histogram = self.latency[key] = Histogram()
        histogram.observe(seconds)

    def render(self, backend: Backend) -> str:
        lines = [
            "# HELP espresso_orders Orders by state, per store.",
            "# TYPE espresso_orders gauge",
        ]
        for rt in backend.stores.values():
            counts = dict.fromkeys(OrderStatus, 0)
            for order in rt.projection.orders():
                if order.status is not None:
                    counts[order.status] += 1
            for state, count in counts.items():
                lines.append(f'espresso_orders{{store="{_label(rt.id)}",state="{state.value}"}} {count}')
        lines += [
            "# HELP espresso_store_open 1 when the store takes orders.",
            "# TYPE espresso_store_open gauge",
        ]
        lines += [
            f'espresso_store_open{{store="{_label(rt.id)}"}} {int(rt.projection.is_open)}'
            for rt in backend.stores.values()
        ]
        lines += [
            "# HELP espresso_stream_clients Connected event streams.",
            "# TYPE espresso_stream_clients gauge",
        ]
        lines += [
            f'espresso_stream_clients{{store="{_label(rt.id)}"}} {rt.broadcaster.client_count}'
            for rt in backend.stores.values()
        ]
        writer = backend.writer
        lines += [
            "# HELP espresso_write_batches_total Group commits made by the writer.",
            "# TYPE espresso_write_batches_total counter",
            f"espresso_write_batches_total {writer.batches}",
            "# HELP espresso_write_jobs_total Writes (commands) the writer ran.",
            "# TYPE espresso_write_jobs_total counter",
            f"espresso_write_jobs_total {writer.jobs}",
            "# HELP espresso_timeouts_fired_total Orders this process timed out.",
            "# TYPE espresso_timeouts_fired_total counter",
            f"espresso_timeouts_fired_total {backend.sweeper.fired}",
            "# HELP espresso_request_duration_seconds Time to the first byte of the response, by route.",
            "# TYPE espresso_request_duration_seconds histogram",
        ]
        for (method, route, status), histogram in sorted(self.latency.items()):
            labels = f'method="{method}",route="{_label(route)}",status="{status}"'
            cumulative = 0
            for bound, count in zip((*BUCKETS, float("inf")), histogram.counts, strict=True):
                cumulative += count
                le = "+Inf" if bound == float("inf") else repr(bound)
                lines.append(f'espresso_request_duration_seconds_bucket{{{labels},le="{le}"}} {cumulative}')
            lines.append(f"espresso_request_duration_seconds_sum{{{labels}}} {histogram.total:.6f}")
            lines.append(f"espresso_request_duration_seconds_count{{{labels}}} {histogram.n}")
        return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class LatencyMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware on the hot path): times each request to its first
    response byte and labels it with the matched route's template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                route: Any = scope.get("route")
                template = getattr(route, "path", None) or "unmatched"
                method = scope["method"] if scope["method"] in _METHODS else "OTHER"
                self.metrics.observe(method, template, message["status"], time.perf_counter() - started)
            await send(message)

        await self.app(scope, receive, timed_send)

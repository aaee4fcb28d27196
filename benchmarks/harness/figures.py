"""Percentiles and the way figures are printed."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.2f} ms"


def spread(values: Sequence[float]) -> str:
    """p50/p99/max in milliseconds, with the count."""
    if not values:
        return "no samples"
    return (
        f"p50 {ms(percentile(values, 0.5))}, p99 {ms(percentile(values, 0.99))}, "
        f"max {ms(max(values))} (n={len(values)})"
    )


def ratio(ours: float, floor: float) -> str:
    return "n/a" if not floor or math.isnan(ours) or math.isnan(floor) else f"{ours / floor:.1f}x"


def p50_p99(values: Sequence[float]) -> str:
    return f"p50 {ms(percentile(values, 0.5))} p99 {ms(percentile(values, 0.99))}"

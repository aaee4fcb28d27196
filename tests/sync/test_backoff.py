"""Reconnect delays grow, stay jittered, and never exceed the low cap."""

import random

from core.sync.backoff import Backoff


def test_delays_grow_then_stay_under_the_cap() -> None:
    backoff = Backoff(first_s=0.1, cap_s=2.0, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(12)]
    assert 0.05 <= delays[0] <= 0.1
    assert all(d <= 2.0 for d in delays)
    assert all(d >= 1.0 for d in delays[6:])  # at the cap: between half and all of it


def test_jitter_spreads_clients_apart() -> None:
    a = Backoff(rng=random.Random(1))
    b = Backoff(rng=random.Random(2))
    assert [a.next_delay() for _ in range(5)] != [b.next_delay() for _ in range(5)]


def test_reset_starts_again_from_the_first_delay() -> None:
    backoff = Backoff(first_s=0.1, cap_s=2.0)
    for _ in range(8):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 0.1

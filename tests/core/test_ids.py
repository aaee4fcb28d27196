"""Identifiers: unique, time-ordered where they are born, stable when derived."""

from __future__ import annotations

import time
import uuid

from core.ids import derived_id, new_id


def test_new_ids_are_unique_uuid7_and_ordered_by_time() -> None:
    first = new_id()
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(first)
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    later = first
    deadline = time.monotonic() + 1
    while uuid.UUID(later).int >> 80 == parsed.int >> 80 and time.monotonic() < deadline:
        later = new_id()  # until the next millisecond
    assert later > first  # a later millisecond sorts after, whatever the random bits
    assert abs((parsed.int >> 80) - time.time_ns() // 1_000_000) < 5_000


def test_derived_ids_are_stable_so_a_retry_makes_the_same_events() -> None:
    assert derived_id("cmd-1", 0) == derived_id("cmd-1", 0)
    assert len({derived_id("cmd-1", 0), derived_id("cmd-1", 1), derived_id("cmd-2", 0)}) == 3

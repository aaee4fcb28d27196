"""The wait estimate: from the pace of recent drinks, shared between the baristas at work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.wait_estimate import Completion, describe_wait, estimate_wait_s, make_seconds

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def done(minutes_ago: float, make_s: float, barista: str = "Ana") -> Completion:
    completed = NOW - timedelta(minutes=minutes_ago)
    return Completion(barista, completed - timedelta(seconds=make_s), completed)


def test_no_completed_drinks_means_no_estimate() -> None:
    assert estimate_wait_s([], queued=3, making=1, baristas=1, now=NOW) is None
    assert describe_wait(None) == ""


def test_the_pace_is_the_median_make_time() -> None:
    recent = [done(1, 60), done(2, 90), done(3, 600)]  # one fumbled drink does not skew it
    assert make_seconds(recent, NOW) == 90


def test_each_waiting_order_adds_one_drink_at_the_pace() -> None:
    recent = [done(1, 120), done(3, 120)]
    assert estimate_wait_s(recent, queued=0, making=0, baristas=1, now=NOW) == 120
    assert estimate_wait_s(recent, queued=3, making=0, baristas=1, now=NOW) == 480
    assert estimate_wait_s(recent, queued=3, making=2, baristas=1, now=NOW) == 600


def test_two_baristas_halve_the_wait() -> None:
    recent = [done(1, 120), done(3, 120, "Bo")]
    assert estimate_wait_s(recent, queued=3, making=0, baristas=2, now=NOW) == 240


def test_old_and_unclaimed_completions_do_not_count() -> None:
    old = done(45, 30)
    unclaimed = Completion("Ana", None, NOW - timedelta(minutes=1))
    assert make_seconds([old, unclaimed], NOW) is None
    assert make_seconds([old, unclaimed, done(2, 100)], NOW) == 100


def test_only_the_latest_ten_count() -> None:
    recent = [done(20 - i, 600) for i in range(5)] + [done(10 - i * 0.5, 60) for i in range(10)]
    assert make_seconds(recent, NOW) == 60


def test_words_for_the_board() -> None:
    assert describe_wait(30) == "under 2 min"
    assert describe_wait(89) == "under 2 min"
    assert describe_wait(150) == "about 2 min"  # rounds to whole minutes
    assert describe_wait(481) == "about 8 min"

"""QR codes: epoch-aligned windows, a grace period for the previous code, 80 bits each."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest

from core.codes import CODE_LENGTH, code_for, current_code, match_window, window_end, window_of
from core.config import StoreConfig

SECRET = b"s" * 32
CONFIG = StoreConfig(code_rotation_s=300, code_grace_s=30)
WINDOW_START = datetime.fromtimestamp(300 * 5_900_000, UTC)  # a window boundary


def at(seconds: float) -> datetime:
    return WINDOW_START + timedelta(seconds=seconds)


def test_windows_are_aligned_to_the_unix_epoch() -> None:
    assert window_of(WINDOW_START, 300) == 5_900_000
    assert window_of(at(299.999), 300) == 5_900_000
    assert window_of(at(300), 300) == 5_900_001
    assert window_of(datetime(1970, 1, 1, 0, 4, 59, tzinfo=UTC), 300) == 0
    assert window_end(5_900_000, 300) == at(300)


def test_a_code_is_16_base32_characters_that_is_80_bits() -> None:
    code = code_for(SECRET, "booth", 1)
    assert len(code) == CODE_LENGTH == 16 and CODE_LENGTH * 5 == 80
    assert set(code) <= set(string.ascii_lowercase + "234567")


def test_codes_differ_between_stores_windows_and_secrets() -> None:
    codes = {
        code_for(SECRET, "booth", 1),
        code_for(SECRET, "booth", 2),
        code_for(SECRET, "cart", 1),
        code_for(b"t" * 32, "booth", 1),
    }
    assert len(codes) == 4
    assert code_for(SECRET, "booth", 1) == code_for(SECRET, "booth", 1)


def test_the_current_code_and_when_it_expires() -> None:
    shown = current_code(SECRET, "booth", CONFIG, at(120))
    assert shown.window == 5_900_000 and shown.expires_at == at(300)  # grace not counted
    assert shown.code == code_for(SECRET, "booth", 5_900_000)
    assert match_window(SECRET, "booth", CONFIG, shown.code, at(120)) == 5_900_000
    assert match_window(SECRET, "booth", CONFIG, shown.code.upper(), at(120)) == 5_900_000


def test_the_previous_code_is_good_only_within_the_grace_period() -> None:
    previous = code_for(SECRET, "booth", 5_900_000)
    assert match_window(SECRET, "booth", CONFIG, previous, at(300 + 29.999)) == 5_900_000
    assert match_window(SECRET, "booth", CONFIG, previous, at(300 + 30)) is None
    no_grace = StoreConfig(code_rotation_s=300, code_grace_s=0)
    assert match_window(SECRET, "booth", no_grace, previous, at(300)) is None


def test_older_future_and_other_stores_codes_are_refused() -> None:
    now = at(10)
    for window in (5_899_998, 5_900_001):
        assert match_window(SECRET, "booth", CONFIG, code_for(SECRET, "booth", window), now) is None
    assert match_window(SECRET, "booth", CONFIG, code_for(SECRET, "cart", 5_900_000), now) is None


@pytest.mark.parametrize(
    "code",
    ["", "abc", "a" * 15, "a" * 17, "a" * 16, "é" * 16, "\x00" * 16, None, 12345],
)
def test_wrong_length_wrong_and_hostile_codes_are_refused_without_error(code: object) -> None:
    assert match_window(SECRET, "booth", CONFIG, code, at(10)) is None  # type: ignore[arg-type]


def test_one_character_off_is_refused() -> None:
    good = code_for(SECRET, "booth", 5_900_000)
    bad = good[:-1] + ("a" if good[-1] != "a" else "b")
    assert match_window(SECRET, "booth", CONFIG, bad, at(10)) is None

"""The business day: order numbers start again each day in the store's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.business_day import business_day


def test_the_day_is_taken_in_the_store_time_zone_not_utc() -> None:
    late_evening_in_new_york = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
    assert business_day(late_evening_in_new_york, ZoneInfo("America/New_York")) == date(2026, 11, 27)
    assert business_day(late_evening_in_new_york, ZoneInfo("UTC")) == date(2026, 11, 28)
    early_morning_in_tokyo = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
    assert business_day(early_morning_in_tokyo, ZoneInfo("Asia/Tokyo")) == date(2026, 11, 28)


def test_the_day_changes_at_local_midnight() -> None:
    zone = ZoneInfo("Europe/Berlin")  # UTC+1 in November
    assert business_day(datetime(2026, 11, 27, 22, 59, 59, tzinfo=UTC), zone) == date(2026, 11, 27)
    assert business_day(datetime(2026, 11, 27, 23, 0, 0, tzinfo=UTC), zone) == date(2026, 11, 28)

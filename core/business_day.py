"""The store's business day: order numbers start again from 1 each day, in its time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def business_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()

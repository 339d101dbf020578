"""Working time in Tbilisi: calendar hours, working hours and working days, and how they add up.

A city service's deadline is stated in one of three units:

- calendar hours: every hour counts, night and holiday alike (hazards: a fallen tree, a bare
  cable must be answered within hours whatever the day);
- working hours: only the hours of the working day count (Monday to Friday, 09:00-18:00
  Asia/Tbilisi), and no hour of a public holiday counts;
- working days: a working day is WORKDAY_HOURS working hours, so "3 working days" from Monday
  15:00 ends on Thursday 15:00, and a report made on a Saturday starts counting on Monday 09:00.

Public holidays are Georgia's (the `holidays` package, which follows the Labour Code, Easter
included) plus any day the city declares by decree (passed in as `extra_days`).

The clock can be paused (a report waiting for information from its reporter does not burn the
service's time). Pausing is handled by `remaining()` and `advance()`: on resume, the deadline is
the resume time advanced by what was left when the clock stopped, in the deadline's own unit.

Everything here is plain Python over aware datetimes; nothing reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TBILISI = ZoneInfo("Asia/Tbilisi")
DAY_START, DAY_END = time(9, 0), time(18, 0)
WORKDAY_HOURS = 9

CALENDAR_HOURS = "calendar_hours"
WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
UNITS = (CALENDAR_HOURS, WORKING_HOURS, WORKING_DAYS)


@lru_cache(maxsize=64)
def _georgian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Georgia(years=year).keys())


@dataclass(frozen=True)
class Calendar:
    extra_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _georgian_holidays(day.year) and day not in self.extra_days

    def _segments(self, start: datetime):
        """Working intervals (local, aware) from `start` onwards, forever."""
        local = start.astimezone(TBILISI)
        day = local.date()
        while True:
            if self.is_working_day(day):
                begin = datetime.combine(day, DAY_START, TBILISI)
                end = datetime.combine(day, DAY_END, TBILISI)
                if end > local:
                    yield max(begin, local), end
            day += timedelta(days=1)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        left = timedelta(hours=hours)
        if left <= timedelta(0):
            return start
        for begin, end in self._segments(start):
            if end - begin >= left:
                return begin + left
            left -= end - begin
        raise AssertionError("unreachable")

    def working_hours_between(self, start: datetime, stop: datetime) -> float:
        if stop <= start:
            return 0.0
        total = timedelta(0)
        for begin, end in self._segments(start):
            if begin >= stop:
                break
            total += min(end, stop) - begin
        return total.total_seconds() / 3600


def advance(unit: str, start: datetime, amount: float, calendar: Calendar | None = None) -> datetime:
    """When a deadline of `amount` `unit` that starts at `start` falls due."""
    calendar = calendar or Calendar()
    if unit == CALENDAR_HOURS:
        return start + timedelta(hours=amount)
    if unit == WORKING_HOURS:
        return calendar.add_working_hours(start, amount)
    if unit == WORKING_DAYS:
        return calendar.add_working_hours(start, amount * WORKDAY_HOURS)
    raise ValueError(f"unknown deadline unit {unit!r}")


def remaining(unit: str, now: datetime, due: datetime, calendar: Calendar | None = None) -> float:
    """How much of the deadline is left at `now`, in the deadline's unit (negative when overdue)."""
    calendar = calendar or Calendar()
    if due <= now:
        return -_left(calendar, due, now, unit)
    return _left(calendar, now, due, unit)


def _left(calendar: Calendar, a: datetime, b: datetime, unit: str) -> float:
    if unit == CALENDAR_HOURS:
        return (b - a).total_seconds() / 3600
    hours = calendar.working_hours_between(a, b)
    return hours / WORKDAY_HOURS if unit == WORKING_DAYS else hours


def resume(unit: str, paused_at: datetime, resumed_at: datetime, due: datetime, calendar: Calendar | None = None):
    """The new deadline after a pause from `paused_at` to `resumed_at` (what was left, from the resume)."""
    left = remaining(unit, paused_at, due, calendar)
    if left <= 0:
        return due  # already overdue when paused: a pause cannot rescue a missed deadline
    return advance(unit, resumed_at, left, calendar)

"""The deadline clock against the real Georgian calendar: weekends, holidays, pauses."""

from datetime import date, datetime

import holidays
import pytest

from smartmap.lib.working_time import (
    CALENDAR_HOURS,
    TBILISI,
    WORKING_DAYS,
    WORKING_HOURS,
    Calendar,
    advance,
    remaining,
    resume,
)


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TBILISI)


def test_it_counts_every_hour_for_calendar_hours():
    # A fallen tree reported on Saturday night: 4 hours means Sunday 01:00, holiday or not.
    assert advance(CALENDAR_HOURS, at(2026, 11, 21, 21), 4) == at(2026, 11, 22, 1)


def test_it_counts_working_hours_inside_the_working_day():
    assert advance(WORKING_HOURS, at(2026, 11, 17, 10), 3) == at(2026, 11, 17, 13)  # Tuesday


def test_it_carries_working_hours_over_the_night():
    assert advance(WORKING_HOURS, at(2026, 11, 17, 16), 4) == at(2026, 11, 18, 11)


def test_it_skips_the_weekend():
    # Friday 17:00 + 2 working hours: one hour on Friday, one on Monday.
    assert advance(WORKING_HOURS, at(2026, 11, 20, 17), 2) == at(2026, 11, 23 + 1, 10)


def test_it_skips_saint_georges_day():
    # Monday 23 November 2026 is St George's Day, a public holiday in Georgia.
    assert date(2026, 11, 23) in holidays.Georgia(years=2026)
    assert advance(WORKING_HOURS, at(2026, 11, 20, 17), 2) == at(2026, 11, 24, 10)


def test_it_starts_counting_on_the_next_working_morning():
    # Reported on Saturday: the clock starts on Tuesday 09:00 (Monday is a holiday).
    assert advance(WORKING_HOURS, at(2026, 11, 21, 12), 1) == at(2026, 11, 24, 10)


def test_it_counts_working_days_as_whole_working_days():
    # Wednesday 15:00 + 3 working days = Monday 15:00 (Saturday and Sunday skipped).
    assert advance(WORKING_DAYS, at(2026, 12, 2, 15), 3) == at(2026, 12, 7, 15)


def test_it_skips_orthodox_easter_which_moves_every_year():
    easter_2027 = [d for d, name in holidays.Georgia(years=2027).items() if "Good Friday" in name][0]
    assert easter_2027 == date(2027, 4, 30)
    # Thursday 29 April 17:00 + 2 working hours → Friday (Good Friday) off → Monday (Easter Monday) off → Tuesday.
    assert advance(WORKING_HOURS, at(2027, 4, 29, 17), 2) == at(2027, 5, 4, 10)


def test_it_skips_days_declared_by_decree():
    decree = Calendar(extra_days=frozenset({date(2026, 12, 1)}))
    assert advance(WORKING_HOURS, at(2026, 11, 30, 17), 2, decree) == at(2026, 12, 2, 10)


def test_it_crosses_new_year():
    # 31 Dec (Thursday) 17:00 + 2h: 1 January (Friday) is a holiday, 2-3 the weekend → Monday 4 January.
    assert advance(WORKING_HOURS, at(2026, 12, 31, 17), 2) == at(2027, 1, 4, 10)


def test_it_tells_what_is_left_and_how_much_overdue():
    due = at(2026, 11, 18, 12)
    assert remaining(WORKING_HOURS, at(2026, 11, 17, 12), due) == 9
    assert remaining(WORKING_HOURS, at(2026, 11, 18, 14), due) == -2
    assert remaining(CALENDAR_HOURS, at(2026, 11, 18, 14), due) == -2
    assert remaining(WORKING_DAYS, at(2026, 11, 17, 12), due) == 1


def test_it_resumes_a_paused_clock_with_what_was_left():
    start = at(2026, 11, 16, 9)  # Monday
    due = advance(WORKING_DAYS, start, 2)
    assert due == at(2026, 11, 17, 18)  # the end of Tuesday's working day
    # Paused on Monday 18:00 (one day used) for two weeks waiting for the reporter; resumed Monday 30th 09:00:
    # the one working day left ends that evening.
    new_due = resume(WORKING_DAYS, at(2026, 11, 16, 18), at(2026, 11, 30, 9), due)
    assert new_due == at(2026, 11, 30, 18)


def test_it_resumes_calendar_hours_by_the_length_of_the_pause():
    due = at(2026, 11, 17, 12)
    assert resume(CALENDAR_HOURS, at(2026, 11, 17, 10), at(2026, 11, 17, 15), due) == at(2026, 11, 17, 17)


def test_a_pause_cannot_rescue_a_missed_deadline():
    due = at(2026, 11, 17, 12)
    assert resume(WORKING_HOURS, at(2026, 11, 17, 13), at(2026, 11, 19, 9), due) == due


def test_it_refuses_an_unknown_unit():
    with pytest.raises(ValueError):
        advance("fortnights", at(2026, 11, 17), 1)

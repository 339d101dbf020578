"""Dates: ISO 8601 always, dotted day-first, ambiguous day/month refused unless named, impossible refused."""

from datetime import datetime

import pytest
from django.utils import timezone

from layers.importing.dates import DateError, parse_date
from tests.layers.registers import ENGLISH, WORDS_EN, header, history, mapping, permit, row, run, write_csv

TBILISI = timezone.get_fixed_timezone(240)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-17", datetime(2024, 5, 17, 12, 0, tzinfo=TBILISI)),
        ("2024-05-17T10:30:00Z", datetime(2024, 5, 17, 14, 30, tzinfo=TBILISI)),
        ("2024-05-17T10:30:00+04:00", datetime(2024, 5, 17, 10, 30, tzinfo=TBILISI)),
        ("2024-05-17 10:30", datetime(2024, 5, 17, 10, 30, tzinfo=TBILISI)),
        ("20240517", datetime(2024, 5, 17, 12, 0, tzinfo=TBILISI)),
        ("17.05.2024", datetime(2024, 5, 17, 12, 0, tzinfo=TBILISI)),
        ("17/05/2024", datetime(2024, 5, 17, 12, 0, tzinfo=TBILISI)),  # only one reading is a date
        ("05/05/2024", datetime(2024, 5, 5, 12, 0, tzinfo=TBILISI)),  # both readings are the same day
    ],
)
def test_it_reads_iso_and_unambiguous_dates(text, expected):
    assert parse_date(text, []) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("02/03/2024", "'02/03/2024' could be 2 March or 3 February: name the register's format"),
        ("31.02.2025", "cannot read '31.02.2025' as a date"),
        ("2025-02-30", "cannot read '2025-02-30' as a date"),
        ("last spring", "cannot read 'last spring' as a date"),
    ],
)
def test_it_refuses_ambiguous_and_impossible_dates(text, reason):
    with pytest.raises(DateError) as error:
        parse_date(text, [])
    assert str(error.value).startswith(reason)


def test_a_named_format_settles_the_day_and_month(db):
    assert parse_date("02/03/2024", ["%m/%d/%Y"]).date().isoformat() == "2024-02-03"


def _rows(applied):
    return [row(f"T-{i}", "vake", "Filed", value) for i, value in enumerate(applied)]


def test_a_register_of_iso_timestamps_imports_with_their_times(db, tmp_path):
    path = write_csv(
        tmp_path, header(ENGLISH), _rows(["2024-05-17T10:30:00Z", "2024-05-18T09:00:00+04:00"]), delimiter=","
    )
    report = run(mapping(ENGLISH, WORDS_EN), path)
    assert (report.run.created, report.run.rejected) == (2, 0)
    assert history(permit("T-0")) == [("created", "", "application_filed", "2024-05-17", "source")]
    assert timezone.localtime(permit("T-0").status_since).hour == 14


def test_ambiguous_dates_in_a_register_are_refused_by_row_unless_the_mapping_names_the_format(db, tmp_path):
    path = write_csv(tmp_path, header(ENGLISH), _rows(["02/03/2024", "25/03/2024"]))
    report = run(mapping(ENGLISH, WORDS_EN), path, commit=False)
    assert [(r.row, r.code) for r in report.rejections] == [(2, "ambiguous date")]
    assert report.rejections[0].reason.startswith("column 'Applied': '02/03/2024' could be 2 March or 3 February")
    named = run(mapping(ENGLISH, WORDS_EN, date_formats=["%d/%m/%Y"]), path)
    assert (named.run.created, named.run.rejected) == (2, 0)
    assert history(permit("T-0"))[0][3] == "2024-03-02"

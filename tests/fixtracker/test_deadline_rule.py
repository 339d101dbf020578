"""One rule for "overdue": the pages, the sweep's query and the map's tiles give the same answer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from fixtracker import deadlines
from fixtracker.models import Report

NOW = timezone.now()
HOUR = timedelta(hours=1)
# Each case: the report's clock fields, relative to now; then the marker's word.
CASES = {
    "running": ({"response_due_at": NOW + 9 * HOUR, "resolution_due_at": NOW + 50 * HOUR}, "running"),
    "response due soon": ({"response_due_at": NOW + HOUR, "resolution_due_at": NOW + 50 * HOUR}, "due_soon"),
    "response overdue": ({"response_due_at": NOW - HOUR, "resolution_due_at": NOW + 50 * HOUR}, "overdue"),
    "acknowledged late": (
        {"response_due_at": NOW - 5 * HOUR, "acknowledged_at": NOW - HOUR, "resolution_due_at": NOW + 50 * HOUR},
        "late",
    ),
    "acknowledged, resolution overdue": (
        {"response_due_at": NOW + HOUR, "acknowledged_at": NOW - 2 * HOUR, "resolution_due_at": NOW - HOUR},
        "overdue",
    ),
    "paused past its deadline": (
        {"response_due_at": NOW - HOUR, "resolution_due_at": NOW - HOUR, "paused_at": NOW - 2 * HOUR},
        "paused",
    ),
    "resolved on time": (
        {
            "status": "resolved",
            "response_due_at": NOW - 9 * HOUR,
            "acknowledged_at": NOW - 10 * HOUR,
            "resolution_due_at": NOW - HOUR,
            "resolved_at": NOW - 2 * HOUR,
        },
        "met",
    ),
}


@pytest.fixture
def reports(submit):
    made = {}
    for name, (clock, _word) in CASES.items():
        report = submit(description=name)
        Report.objects.filter(pk=report.pk).update(**clock)
        made[name] = Report.objects.get(pk=report.pk)
    return made


def _marker_words() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT i.id, {deadlines.marker_sql('i')} FROM {Report._meta.db_table} i")
        return dict(cursor.fetchall())


def test_the_page_and_the_tile_agree_on_every_state(reports):
    in_sql = _marker_words()
    for name, report in reports.items():
        expected = CASES[name][1]
        assert deadlines.worst_state(report) == expected, name
        assert in_sql[report.pk] == expected, name


def test_the_query_finds_exactly_the_overdue_ones(reports):
    overdue = set(Report.objects.overdue().values_list("pk", flat=True))
    expected = {r.pk for r in reports.values() if "overdue" in [c["state"] for c in deadlines.clocks(r)]}
    assert overdue == expected == {reports["response overdue"].pk, reports["acknowledged, resolution overdue"].pk}


def test_the_sweep_stamps_each_missed_deadline_by_its_name(reports):
    from fixtracker.actions.overdue import mark_overdue

    stamped = sorted(mark_overdue())
    assert stamped == sorted(
        [(reports["response overdue"].pk, "response"), (reports["acknowledged, resolution overdue"].pk, "resolution")]
    )

"""The staff queue's clocks come from PostgreSQL (deadlines.with_states_sql): the same answer as the
Python rule for any report, and the queue's filters, orders and bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtracker import deadlines
from fixtracker.models import Report
from smartmap.lib import working_time

UNITS = (working_time.CALENDAR_HOURS, working_time.WORKING_HOURS, working_time.WORKING_DAYS)
# Around New Year, Orthodox Christmas and weekends: the calendar's hard cases.
moments = st.datetimes(min_value=datetime(2025, 12, 26), max_value=datetime(2026, 1, 12)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@st.composite
def reports(draw):
    created = draw(moments)
    unit = draw(st.sampled_from(UNITS))
    response = working_time.advance(unit, created, draw(st.integers(1, 30)))
    resolution = working_time.advance(unit, created, draw(st.integers(1, 60)))
    paused = draw(st.one_of(st.none(), moments))
    if paused is not None and draw(st.booleans()):  # paused once and resumed: the deadlines moved
        resumed = paused + timedelta(hours=draw(st.integers(1, 200)))
        response = working_time.resume(unit, paused, resumed, response)
        resolution = working_time.resume(unit, paused, resumed, resolution)
        paused = None
    kept = draw(st.one_of(st.none(), moments))
    return {
        "response_due_at": response,
        "resolution_due_at": draw(st.one_of(st.just(resolution), st.none())),
        "paused_at": paused,
        "acknowledged_at": draw(st.one_of(st.none(), st.just(kept))),
        "resolved_at": draw(st.one_of(st.none(), moments)),
        "closed_at": None,
    }


@pytest.mark.django_db
@settings(max_examples=150, deadline=None)
@given(fields=reports(), now=moments)
def test_the_sql_clock_equals_the_python_clock(fields, now):
    columns = list(fields)
    sql = ", ".join(
        [f"COALESCE({d.state_sql('r', '%(now)s')}, 'none')" for d in deadlines.DEADLINES]
        + [deadlines.marker_sql("r", "%(now)s")]
    )
    values = ", ".join(f"%({c})s::timestamptz AS {c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM (SELECT {values}) r", {**fields, "now": now})
        response, resolution, marker = cursor.fetchone()
    report = Report(**fields)
    clocks = deadlines.clocks(report, now)
    assert [response, resolution] == [c["state"] for c in clocks]
    assert marker == deadlines.worst_state(report, now)


def test_the_queue_shows_the_clock_the_python_rule_gives(client, submit, tbilservice_staff):
    overdue, paused, running = submit(), submit(email="b@example.ge"), submit(email="c@example.ge")
    Report.objects.filter(pk=overdue.pk).update(response_due_at=datetime(2025, 1, 6, 9, tzinfo=UTC))
    Report.objects.filter(pk=paused.pk).update(paused_at=datetime(2025, 1, 6, 9, tzinfo=UTC))
    client.force_login(tbilservice_staff)
    response = client.get("/en/staff/")
    rows = {r.reference: c for r, c in response.context["rows"]}
    for report in (overdue, paused, running):
        report.refresh_from_db()
        expected = deadlines.clocks(report)
        assert [c["state"] for c in rows[report.reference]] == [c["state"] for c in expected]
    assert rows[overdue.reference][0]["state"] == "overdue"
    assert rows[paused.reference][0]["state"] == "paused"


def test_the_queue_filters_and_orders(client, submit, tbilservice_staff):
    first, second = submit(), submit(email="b@example.ge")
    Report.objects.filter(pk=first.pk).update(
        response_due_at=datetime(2025, 1, 6, 9, tzinfo=UTC), title="ბოძი წაქცეულია"
    )
    client.force_login(tbilservice_staff)

    def shown(query):
        response = client.get(f"/en/staff/?{query}")
        assert response.status_code == 200, response.content
        return [r.reference for r, _c in response.context["rows"]]

    assert shown("overdue=1") == [first.reference]
    assert shown("q=წაქცეულ") == [first.reference]
    assert shown(f"q={second.reference}") == [second.reference]
    assert shown("sort=newest") == [second.reference, first.reference]
    assert shown("sort=oldest") == [first.reference, second.reference]
    assert set(shown("category=lamp-out&department=tbilservice")) == {first.reference, second.reference}
    district = first.district
    assert set(shown(f"district={district.slug}")) == {first.reference, second.reference}
    assert set(shown(f"district={district.number}&status=new")) == {first.reference, second.reference}


@pytest.mark.parametrize(
    "query, words",
    [
        ("sort=sideways", "cannot be sorted"),
        ("department=environment", "no department"),
        ("category=no-such", "no category"),
        ("district=atlantis", "no district"),
        ("district=%3Cb%3E", "district"),
        ("status=lost", "no status"),
        ("q=ab", "at least 3"),
    ],
)
def test_a_filter_that_names_nothing_is_explained(client, submit, tbilservice_staff, query, words):
    submit()
    client.force_login(tbilservice_staff)
    response = client.get(f"/en/staff/?{query}")
    assert response.status_code == 400 and words in response.content.decode()


def test_the_next_page_keeps_the_filters(client, submit, tbilservice_staff, monkeypatch):
    from fixtracker import staff

    monkeypatch.setattr(staff, "QUEUE_PAGE", 1)
    submit(), submit(email="b@example.ge")
    client.force_login(tbilservice_staff)
    html = client.get("/en/staff/?sort=oldest&category=lamp-out").content.decode()
    assert "sort=oldest" in html and "category=lamp-out" in html and "page=2" in html

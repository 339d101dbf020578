"""City Hall's response record: its definitions, the fairness rule, the page and the link from every report."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from fixtracker.models import Category
from layers.models import Event
from stats import record
from tests.stats.factories import TBILISI, report

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


@pytest.fixture
def lamp_out():
    return Category.objects.get(slug="lamp-out")


@pytest.fixture
def twelve(lamp_out):
    """Twelve street-lighting reports of March 2025: 9 acknowledged on time, 6 resolved on time."""
    start = datetime(2025, 3, 3, 10, tzinfo=TBILISI)
    made = []
    for i in range(12):
        made.append(report(
            lamp_out, start + timedelta(days=i), response_hours=24, resolution_hours=240,
            acknowledged_after=HOUR * (2 if i < 9 else 30), finished_after=HOUR * (100 if i < 6 else 300) if i < 10 else None,
            close_reason="not_ours" if i == 11 else "",
        ))  # fmt: skip
    Event.objects.create(layer="reports", item_id=made[0].pk, topic="reports", kind="status_changed",
                         old_status="resolved", new_status="in_progress", occurred_at=start)  # fmt: skip
    return made


def test_it_counts_on_time_by_its_definitions(twelve):
    facts = record.load_facts(datetime(2025, 3, 1).date(), datetime(2025, 3, 31).date())
    f = record.figures(facts, now=timezone.now())
    assert f.received == 12
    assert (f.acknowledged_on_time.part, f.acknowledged_on_time.whole, f.acknowledged_on_time.percent) == (9, 12, 75.0)
    # two never resolved and past due count as late; ten resolved, six of them in time
    assert (f.resolved_on_time.part, f.resolved_on_time.whole) == (6, 12)
    assert (f.reopened.part, f.reopened.whole) == (1, 10)
    assert (f.not_ours.part, f.not_ours.whole) == (1, 12)


def test_an_open_report_not_yet_due_is_not_in_the_base(lamp_out):
    report(lamp_out, timezone.now() - HOUR, response_hours=24)
    f = record.figures(record.load_facts(timezone.localdate(), timezone.localdate()))
    assert f.received == 1 and f.acknowledged_on_time.whole == 0


def test_times_are_in_the_deadlines_unit(lamp_out):
    lamp_out.response_unit = "working_hours"
    lamp_out.save()
    friday = datetime(2025, 3, 7, 17, tzinfo=TBILISI)  # one working hour on Friday, two on Monday
    report(lamp_out, friday, acknowledged_after=timedelta(days=3, hours=-6))
    f = record.figures(record.load_facts(friday.date(), friday.date()))
    assert f.to_acknowledge == {"working_hours": {"median": 3.0, "p90": 3.0, "n": 1}}


def test_fewer_than_ten_reports_show_counts_not_percentages(client, lamp_out):
    for i in range(4):
        report(lamp_out, datetime(2025, 3, 3 + i, 10, tzinfo=TBILISI), acknowledged_after=HOUR)
    html = client.get("/en/statistics/response/", {"from": "2025-03-01", "to": "2025-03-31"}).content.decode()
    assert "4 of 4" in html and "100%" not in html and "few reports: counts only" in html


def test_the_page_shows_figures_trend_and_definitions(client, twelve):
    html = client.get(
        "/en/statistics/response/", {"from": "2025-03-01", "to": "2025-03-31", "by": "category"}
    ).content.decode()
    assert "75% (9 of 12)" in html and "50% (6 of 12)" in html
    assert "Paused time" in html and "keeps its clock" in html and "never ranked" in html
    assert 'id="trend-table"' in html and "2025-03" in html


def test_the_page_is_in_georgian(client, twelve):
    html = client.get("/ka/statistics/response/", {"from": "2025-03-01", "to": "2025-03-31"}).content.decode()
    assert "როგორ პასუხობს მერია" in html


@pytest.mark.parametrize("params", [{"by": "mood"}, {"from": "March"}, {"from": "2025-03-02", "to": "2025-03-01"},
                                    {"department": "nobody"}])  # fmt: skip
def test_bad_input_is_a_400_that_says_why(client, params):
    response = client.get("/en/statistics/response/", params)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


def test_every_report_page_links_to_its_departments_record(client, twelve):
    target = twelve[1]
    target.confirmed_at = timezone.now()
    target.save()
    html = client.get(f"/en/reports/{target.reference}/").content.decode()
    assert "/en/statistics/response/?by=category&amp;department=" in html
    assert "The service&#x27;s response record" in html or "The service's response record" in html


def test_the_period_in_the_heading_keeps_each_day_on_one_line(client):
    """Regression: at 360 px the heading broke inside its dates ("2026-01-" / "01")."""
    html = client.get("/en/statistics/response/", {"from": "2025-01-01", "to": "2025-06-30"}).content.decode()
    assert 'Reports received <span class="nowrap">2025-01-01</span> – <span class="nowrap">2025-06-30</span>' in html

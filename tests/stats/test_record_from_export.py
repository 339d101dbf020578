"""The response record is reproducible from the open data alone: its figures, recomputed with pandas
from the reports CSV export (and nothing else), equal stats.record's on generated data."""

import io
import random
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from django.utils import timezone

from fixtracker.actions.timeline import calendar
from fixtracker.models import Category
from layers.models import Event
from stats import record
from tests.stats.factories import TBILISI, report

pytestmark = pytest.mark.django_db
PERIOD = (date(2025, 1, 1), date(2025, 6, 30))
NOW = datetime(2025, 7, 15, 12, tzinfo=TBILISI)


@pytest.fixture
def reports():
    rng = random.Random(11)
    categories = list(Category.objects.all()[:4])
    units = ["calendar_hours", "working_hours", "working_days", "working_hours"]
    for category, unit in zip(categories, units, strict=True):
        category.response_unit = category.resolution_unit = unit
        category.save()
    for _n in range(160):
        when = datetime(2024, 12, 20, 8, tzinfo=TBILISI) + timedelta(hours=rng.uniform(0, 24 * 200))
        acknowledged = timedelta(hours=rng.uniform(0.2, 60)) if rng.random() < 0.8 else None
        finished = timedelta(hours=rng.uniform(5, 500)) if rng.random() < 0.6 else None
        closed = rng.random() < 0.15
        fields = (
            {"close_reason": "not_ours", "closed_at": when + timedelta(hours=30), "status": "closed"} if closed else {}
        )
        made = report(rng.choice(categories), when, acknowledged_after=acknowledged,
                      finished_after=None if closed else finished, response_hours=rng.choice([8, 24, 48]),
                      resolution_hours=rng.choice([72, 240]), **fields)  # fmt: skip
        if made.resolved_at and rng.random() < 0.2:  # the reporter disputed the resolution
            Event.objects.create(layer="reports", item_id=made.pk, topic="reports", kind="status_changed",
                                 old_status="resolved", new_status="in_progress", occurred_at=made.resolved_at)  # fmt: skip


def exported(client) -> pd.DataFrame:
    response = client.get("/api/v1/opendata/reports.csv")
    frame = pd.read_csv(io.BytesIO(b"".join(response.streaming_content)), keep_default_na=True)
    for column in (
        "confirmed_at",
        "response_due_at",
        "acknowledged_at",
        "resolution_due_at",
        "resolved_at",
        "closed_at",
    ):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def figures_from(frame: pd.DataFrame, now: datetime) -> dict:
    """The record's definitions (stats/record.py's docstring), in pandas."""
    day = frame["confirmed_at"].dt.tz_convert("Asia/Tbilisi").dt.date
    got = frame[(day >= PERIOD[0]) & (day <= PERIOD[1])]
    now = pd.Timestamp(now)
    finished = got["resolved_at"].fillna(got["closed_at"])
    ack = got[got["response_due_at"].notna() & (got["acknowledged_at"].notna() | (got["response_due_at"] <= now))]
    res = got[got["resolution_due_at"].notna() & (finished.notna() | (got["resolution_due_at"] <= now))]
    res_finished = finished[res.index]
    ever = got[finished.notna() | (got["reopened"] == True)]  # noqa: E712 (a pandas column)
    return {
        "received": len(got),
        "acknowledged_on_time": (int((ack["acknowledged_at"] <= ack["response_due_at"]).sum()), len(ack)),
        "resolved_on_time": (int((res_finished <= res["resolution_due_at"]).sum()), len(res)),
        "reopened": (int((ever["reopened"] == True).sum()), len(ever)),  # noqa: E712
        "not_ours": (int((got["close_reason"] == "not_ours").sum()), len(got)),
        "to_acknowledge": _times(got, "time_to_acknowledge", "response_unit"),
        "to_resolve": _times(got, "time_to_resolve", "resolution_unit"),
    }


def _times(frame, column, unit) -> dict:
    known = frame[frame[column].notna()]
    return {
        u: {"median": round(g[column].median(), 1), "p90": round(g[column].quantile(0.9), 1), "n": len(g)}
        for u, g in known.groupby(unit)
    }


def figures_of_record(facts) -> dict:
    f = record.figures(facts, now=NOW, calendar=calendar())
    share = lambda s: (s.part, s.whole)  # noqa: E731
    return {
        "received": f.received,
        "acknowledged_on_time": share(f.acknowledged_on_time),
        "resolved_on_time": share(f.resolved_on_time),
        "reopened": share(f.reopened),
        "not_ours": share(f.not_ours),
        "to_acknowledge": f.to_acknowledge,
        "to_resolve": f.to_resolve,
    }


def test_the_record_is_recomputed_from_the_export(client, reports):
    frame = exported(client)
    expected = figures_of_record(record.load_facts(*PERIOD))
    assert expected["received"] > 50 and len(expected["to_acknowledge"]) == 3 and expected["reopened"][0] > 0
    assert figures_from(frame, NOW) == expected


def test_each_departments_record_is_recomputed_from_the_export(client, reports):
    frame = exported(client)
    for department, group in frame.groupby("department"):
        from accounts.models import Department

        pk = Department.objects.get(slug=department).pk
        assert figures_from(group, NOW) == figures_of_record(record.load_facts(*PERIOD, {"department": pk}))


def test_percentages_follow_from_the_counts(client, reports):
    expected = record.figures(record.load_facts(*PERIOD), now=NOW, calendar=calendar())
    part, whole = figures_from(exported(client), NOW)["acknowledged_on_time"]
    assert expected.acknowledged_on_time.percent == round(100 * part / whole, 1)
    assert timezone.is_aware(NOW)

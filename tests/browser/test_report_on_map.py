"""A report appears on the map, its marker wearing its deadline clock; an unconfirmed one does not."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category, Report

pytestmark = pytest.mark.browser
OVERDUE_RING = "#b91c1c"


def _report(point, confirmed=True):
    report, _ = do_submit_report(
        NewReport(
            category=Category.objects.get(slug="lamp-out"), point=point, description="ნათურა", email="a@example.ge"
        ),
        confirmed=confirmed,
    )
    return report


def test_an_overdue_report_shows_on_the_map_with_a_red_ring(live, open_context, shot):
    overdue = _report(Point(44.7560, 41.7105, srid=4326))
    Report.objects.filter(pk=overdue.pk).update(response_due_at=timezone.now() - timedelta(hours=2))
    _report(Point(44.7566, 41.7105, srid=4326), confirmed=False)  # waiting for email: never on the map
    page = open_context(phone=True, locale="ka-GE").new_page()
    page.goto(live.url + "/ka/#17/41.710500/44.756300&layers=reports")
    page.wait_for_selector(".leaflet-items-pane path.leaflet-interactive")
    strokes = page.eval_on_selector_all(
        ".leaflet-items-pane path.leaflet-interactive", "els => els.map(e => e.getAttribute('stroke'))"
    )
    assert strokes == [OVERDUE_RING]
    shot(page, "overdue-report")

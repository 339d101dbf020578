"""Extra answers are shown by their question, in the reader's language, never by their key."""

import pytest
from django.contrib.gis.geos import Point
from django.utils import translation

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category


@pytest.fixture
def lamp_report(db):
    report, _ = do_submit_report(
        NewReport(
            category=Category.objects.get(slug="lamp-out"),
            point=Point(44.7560, 41.7105, srid=4326),
            description="ნათურა არ ანათებს",
            email="nino@example.ge",
        ),
        confirmed=True,
    )
    report.answers = {"pole": "12", "retired-question": "x"}
    report.save(update_fields=["answers"])
    return report


def test_it_labels_answers_in_the_readers_language(lamp_report):
    with translation.override("ka"):
        assert lamp_report.answer_rows()[0] == ("ბოძის ნომერი (თუ ჩანს)", "12")
    with translation.override("en"):
        assert lamp_report.answer_rows() == [("Pole number (if visible)", "12"), ("retired-question", "x")]


def test_the_staff_page_shows_the_question_not_its_key(client, lamp_report, tbilservice_staff):
    client.force_login(tbilservice_staff)
    body = client.get(f"/ka/staff/reports/{lamp_report.reference}/").content.decode()
    assert "<dt>ბოძის ნომერი (თუ ჩანს)</dt><dd>12</dd>" in body
    assert "pole:" not in body

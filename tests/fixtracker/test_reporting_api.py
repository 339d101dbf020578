"""Reporting through the API the phone page uses: confirm, retry safely, duplicates, limits, anonymity."""

import re
import uuid

import pytest
from django.core import mail

from fixtracker.models import Block, Report, ReportPhoto
from tests.fixtracker.conftest import jpeg_bytes, upload

URL = "/api/v1/reports/"


def _form(**extra):
    data = {
        "category": "lamp-out",
        "lon": "44.7560",
        "lat": "41.7105",
        "description": "ნათურა არ ანათებს",
        "email": "nino@example.ge",
    }
    data.update(extra)
    return data


def test_it_lists_categories_with_their_deadlines(client, db):
    body = client.get("/api/v1/reports/categories/", HTTP_ACCEPT_LANGUAGE="en").json()
    fallen = next(c for c in body if c["slug"] == "fallen-tree")
    assert fallen["respond_within"] == "2 hours, day and night"
    assert fallen["questions"][0]["choices"][0] == {"value": "yes", "label": "Yes"}
    assert {c["group"] for c in body} == {"street-lighting", "trees", "park-benches", "cleaning"}


def test_an_anonymous_report_waits_for_email_confirmation(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(photos=[upload(jpeg_bytes())]))
    assert response.status_code == 201
    body = response.json()
    assert body["confirmed"] is False and body["confirmation"] == "sent" and body["reference"].startswith("TB-")
    assert client.get(f"/en/reports/{body['reference']}/").status_code == 404
    link = re.search(r"/ka/reports/confirm/\S+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 200  # a page with a button: scanners do not confirm
    assert client.post(link).status_code == 302
    report = Report.objects.get()
    assert report.is_public and report.status == "new"
    assert ReportPhoto.objects.filter(report=report).count() == 1


def test_a_verified_resident_goes_live_at_once(client, resident):
    client.force_login(resident)
    body = client.post(URL, _form(email="")).json()
    assert body["confirmed"] is True and [c["state"] for c in body["clocks"]] == ["running", "running"]


def test_a_retried_send_never_makes_a_second_report(client, db):
    key = str(uuid.uuid4())
    first = client.post(URL, _form(idempotency_key=key))
    again = client.post(URL, _form(idempotency_key=key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"] and Report.objects.count() == 1


def test_it_offers_open_reports_nearby_before_filing_a_duplicate(client, submit):
    existing = submit()
    near = client.get("/api/v1/reports/nearby/", {"category": "lamp-out", "lon": "44.7562", "lat": "41.7106"}).json()
    assert [r["reference"] for r in near] == [existing.reference] and near[0]["distance_m"] < 50
    far = client.get("/api/v1/reports/nearby/", {"category": "lamp-out", "lon": "44.80", "lat": "41.69"}).json()
    assert far == []
    assert client.get("/api/v1/reports/nearby/", {"category": "lamp-out", "lon": "x", "lat": "1"}).status_code == 400


def test_it_lets_residents_support_an_existing_report(client, submit):
    report = submit()
    assert client.post(f"{URL}{report.reference}/support/", {"email": "levan@example.ge"}).json() == {
        "added": True,
        "confirmed": False,
        "confirmation": "sent",
        "supporters": 1,  # counted once the link is opened (tests/fixtracker/test_support_consent.py)
    }
    assert client.post(f"{URL}{report.reference}/support/", {"email": "levan@example.ge"}).json()["added"] is False
    assert client.post(f"{URL}{report.reference}/support/", {}).status_code == 400


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"category": "potholes"}, "category"),
        ({"category": ""}, "category"),
        ({"lon": "", "lat": ""}, "location"),
        ({"lon": "east"}, "location"),
        ({"lon": "41.64", "lat": "41.64"}, "location"),  # Batumi
        ({"lat": "141.7"}, "location"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"description": "", "photos": []}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
        ({"category": "fallen-tree", "answer_blocking": "maybe"}, "answer_blocking"),
    ],
)
def test_it_refuses_bad_reports_with_a_reason_and_stores_nothing(client, db, changes, field):
    response = client.post(URL, _form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert field in response.json()["errors"] and response.json()["detail"]
    assert Report.objects.count() == 0


def test_it_refuses_more_than_three_photos(client, db):
    response = client.post(URL, _form(photos=[upload(jpeg_bytes()) for _ in range(4)]))
    assert response.status_code == 400 and "photos" in response.json()["errors"]


def test_it_limits_reports_per_client_and_keeps_counting_in_the_database(client, db):
    codes = [client.post(URL, _form(email=f"r{i}@example.ge"), REMOTE_ADDR="10.0.0.9").status_code for i in range(11)]
    assert codes[:10] == [201] * 10 and codes[10] == 429


def test_it_limits_reports_per_email(client, db):
    codes = [client.post(URL, _form(), REMOTE_ADDR=f"10.0.1.{i}").status_code for i in range(7)]
    assert codes[:6] == [201] * 6 and codes[6] == 429


def test_it_refuses_a_blocked_abuser(client, db, moderator):
    Block.objects.create(email="troll@example.ge", reason="spam", created_by=moderator)
    response = client.post(URL, _form(email="troll@example.ge"))
    assert response.status_code == 403 and Report.objects.count() == 0


def test_an_anonymous_reporter_never_appears_in_public(client, submit, django_capture_on_commit_callbacks):
    report = submit(name="ნინო ბერიძე", show_name=False, email="nino.beridze@example.ge")
    page = client.get(f"/ka/reports/{report.reference}/").content.decode()
    api = client.get(f"{URL}{report.reference}/").content.decode()
    features = client.get("/api/v1/layers/reports/features/").content.decode()
    for text in (page, api, features):
        assert "ბერიძე" not in text and "nino.beridze" not in text
    shown = submit(name="ლევან გელაშვილი", show_name=True, email="levan@example.ge")
    assert "ლევან გელაშვილი" in client.get(f"/ka/reports/{shown.reference}/").content.decode()


def test_unconfirmed_and_hidden_reports_never_appear(client, submit, moderator):
    from fixtracker.actions.moderation import do_hide

    hidden, pending = submit(), submit(confirmed=False, email="x@example.ge")
    do_hide(hidden, actor=moderator, reason="spam")
    for ref in (hidden.reference, pending.reference):
        assert client.get(f"/en/reports/{ref}/").status_code == 404
        assert client.get(f"{URL}{ref}/").status_code == 404
    assert Report.objects.public().count() == 0

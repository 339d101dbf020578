"""No client, however trusted, subscribes an address without that address's own opt-in."""

import re

import pytest
from django.core import mail

from fixtracker.actions.submitting import do_confirm_report
from fixtracker.models import Open311Key, Report
from subscriptions.models import Subscription
from tests.fixtracker.test_open311 import fields, url


@pytest.fixture
def city_app(db):
    return Open311Key.issue("Tbilisi 311", trusted=True)[1]


@pytest.fixture
def civic_app(db):
    return Open311Key.issue("Civic App")[1]


def test_a_trusted_clients_reporter_follows_only_after_opting_in(client, city_app, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("requests", "json"), fields(api_key=city_app)).status_code == 201
    report = Report.objects.get()
    assert report.is_public  # trusted: the report is live at once, the follow is not
    follow = Subscription.objects.get(item_layer="reports", item_id=report.pk)
    assert follow.email == "tamar@example.ge" and follow.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["tamar@example.ge"] and report.reference in message.body
    link = re.search(r"/(?:ka|en)/subscriptions/confirm/\S+/", message.body).group(0)
    client.post(link)
    follow.refresh_from_db()
    assert follow.confirmed_at is not None


def test_a_trusted_client_cannot_flood_an_address_with_opt_in_emails(
    client, city_app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            point = {"lat": f"41.71{i}", "long": "44.756", "description": f"ნათურა {i}"}
            assert client.post(url("requests", "json"), fields(api_key=city_app, **point)).status_code == 201
    assert Report.objects.public().count() == 5  # the reports are filed
    assert Subscription.objects.count() == len(mail.outbox) == 3  # the flood guard's per-address share
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()


def test_a_reporter_who_opened_their_link_follows_at_once(client, civic_app):
    assert client.post(url("requests", "json"), fields(api_key=civic_app)).status_code == 201
    report = do_confirm_report(Report.objects.get())
    follow = Subscription.objects.get(item_layer="reports", item_id=report.pk)
    assert follow.confirmed_at is not None

"""A subscription's name is one line of plain text; a message that cannot be built fails, never sticks.

A name with CR/LF was stored once and then blocked its own delivery forever (BadHeaderError on the
subject, the row back to pending each round).
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from subscriptions import delivery
from subscriptions.models import Delivery, Subscription
from tests.factories import UserFactory
from tests.subscriptions.conftest import happen, make_subscription

CITY = {"email": "nino@example.ge", "city": True, "topics": ["construction"], "events": ["new"]}


@pytest.fixture
def api(db):
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("name", ["home\r\nBcc: all@example.ge", "home\n", "home\u202eemoh", "a\x07b"])
def test_it_refuses_control_characters_in_a_name(api, name):
    response = api.post("/api/v1/subscriptions/", json.dumps({**CITY, "name": name}), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "name" in body.get("errors", {}) or "control character" in body["detail"]
    assert Subscription.objects.count() == 0


def test_renaming_follows_the_same_rule(api):
    user = UserFactory(verified=True)
    subscription = make_subscription(user=user, email=user.email)
    Subscription.objects.filter(pk=subscription.pk).update(name="home")
    api.force_login(user)
    url = f"/api/v1/subscriptions/{subscription.pk}/"
    response = api.patch(url, json.dumps({"name": "a\r\nb"}), content_type="application/json")
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.name == "home"
    assert api.patch(url, json.dumps({"name": "  Vake  "}), content_type="application/json").json()["name"] == "Vake"


def test_the_subscribe_page_refuses_a_name_on_two_lines(api):
    data = {
        "area_kind": "city",
        "email": "nino@example.ge",
        "name": "a\r\nb",
        "topics": "construction",
        "events": "new",
    }
    response = api.post("/en/subscribe/", data)
    assert response.status_code == 400  # the form again, with the message
    assert b"one line" in response.content
    assert Subscription.objects.count() == 0


def test_a_message_that_cannot_be_built_fails_at_once_with_its_reason(db):
    subscription = make_subscription()
    Subscription.objects.filter(pk=subscription.pk).update(name="home\r\nBcc: all@example.ge")  # stored long ago
    happen()
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert delivery.deliver_due() == 0
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.FAILED
    assert "BadHeaderError" in row.last_error and "newline" in row.last_error

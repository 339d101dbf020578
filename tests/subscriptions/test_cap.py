"""One account, or one address without an account, has a capped number of subscriptions."""

import re

import pytest

from subscriptions.models import Subscription
from tests.subscriptions.test_api import URL, _body, _post
from tests.subscriptions.test_pages import _form


@pytest.fixture
def cap(settings):
    settings.SUBSCRIPTIONS_MAX_PER_ACCOUNT = 3
    settings.SUBSCRIPTIONS_MAX_PER_EMAIL = 2
    return settings


def test_the_api_refuses_one_more_than_an_account_may_have(client, resident, cap):
    client.force_login(resident)
    assert [_post(client, _body(email=None)).status_code for _ in range(3)] == [201, 201, 201]
    refused = _post(client, _body(email=None), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "An account may have at most 3 subscriptions: unsubscribe from one to add another.",
        "code": "limit_reached",
    }
    assert Subscription.objects.filter(user=resident).count() == 3
    client.delete(f"{URL}{Subscription.objects.filter(user=resident).first().pk}/")
    assert _post(client, _body(email=None)).status_code == 201  # an unsubscribed one frees its place


def test_the_api_refuses_one_more_than_an_address_may_have(client, db, cap):
    assert [_post(client, _body(email="Nino@example.ge")).status_code for _ in range(2)] == [201, 201]
    refused = _post(client, _body(email="nino@example.ge"), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and "at most 2 subscriptions" in refused.json()["detail"]
    assert Subscription.objects.count() == 2


def test_the_form_says_the_limit_in_georgian(client, resident, cap):
    client.force_login(resident)
    for _ in range(3):
        assert client.post("/ka/subscribe/", _form(email="")).status_code == 200
    refused = client.post("/ka/subscribe/", _form(email=""))
    assert refused.status_code == 403
    page = refused.content.decode()
    (message,) = re.findall(r'<li data-field="subscriptions">([^<]*)</li>', page)
    assert "3" in message and re.search("[ა-ჰ]", message) and "subscription" not in message
    assert Subscription.objects.filter(user=resident).count() == 3


def test_the_limit_is_a_setting_of_fifty_by_default(settings):
    assert settings.SUBSCRIPTIONS_MAX_PER_ACCOUNT == 50 and settings.SUBSCRIPTIONS_MAX_PER_EMAIL == 20

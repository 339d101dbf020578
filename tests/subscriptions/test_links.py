"""The links in emails: confirm, unsubscribe (also RFC 8058 one-click), manage — no login needed."""

import re

from django.core import mail

from accounts.tokens import make_token
from subscriptions.models import Subscription
from tests.subscriptions.conftest import make_subscription


def test_it_confirms_on_post_not_on_a_scanners_get(client, db):
    sub = make_subscription(confirmed=False)
    url = f"/ka/subscriptions/confirm/{make_token('confirm-subscription', sub.pk)}/"
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert client.post(url).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    assert client.get(url).status_code == 200  # already confirmed: a friendly page, not an error


def test_it_unsubscribes_from_the_one_button_page(client, db):
    sub = make_subscription()
    url = f"/en/subscriptions/unsubscribe/{make_token('unsubscribe', sub.pk)}/"
    assert "Unsubscribe" in client.get(url).content.decode()
    assert Subscription.objects.get().unsubscribed_at is None
    assert client.post(url).status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None


def test_it_unsubscribes_with_one_click_from_the_mail_client(db):
    from django.test import Client

    sub = make_subscription()
    url = f"/ka/subscriptions/unsubscribe/{make_token('unsubscribe', sub.pk)}/"
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None


def test_it_refuses_a_forged_or_foreign_link(client, db):
    sub = make_subscription()
    assert client.get("/ka/subscriptions/unsubscribe/forged-token/").status_code == 400
    confirm_token = make_token("confirm-subscription", sub.pk)
    assert client.post(f"/ka/subscriptions/unsubscribe/{confirm_token}/").status_code == 400
    assert Subscription.objects.get().unsubscribed_at is None


def test_it_manages_a_subscription_without_an_account(client, db):
    sub = make_subscription()
    url = f"/en/subscriptions/manage/{make_token('manage-subscription', sub.pk)}/"
    assert client.post(url, {"action": "pause"}).status_code == 302
    assert Subscription.objects.get().paused
    client.post(url, {"action": "weekly"})
    assert Subscription.objects.get().frequency == "weekly"
    client.post(url, {"action": "unsubscribe"})
    assert Subscription.objects.get().unsubscribed_at is not None


def test_the_emailed_confirmation_link_works(client, db, django_capture_on_commit_callbacks):
    from tests.subscriptions.conftest import VAKE_BLOCK

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/subscriptions/",
            {"email": "a@example.ge", "area": VAKE_BLOCK, "topics": ["trees"], "events": ["new"]},
            content_type="application/json",
        )
    link = re.search(r"http://\S+/subscriptions/confirm/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[-1]
    client.post(path)
    assert Subscription.objects.get().confirmed_at is not None

"""Draining the ledger: one email per subscription, once; failures retried; crashes recovered."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.utils import timezone

from subscriptions import delivery
from subscriptions.models import Delivery
from tests.subscriptions.conftest import happen, make_subscription

# The mail server is the outside world: refusing it here is what an SMTP outage looks like to the backend.
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _due_now():
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))


def test_it_gathers_what_arrived_together_into_one_email(subscription):
    happen(item_id=1)
    happen(item_id=2, kind="status_changed", old_status="under_review")
    _due_now()
    assert delivery.deliver_due() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nino@example.ge"]
    assert "2" in message.subject
    assert message.body.count("/layers/construction-permits/") == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_it_sends_nothing_before_it_is_due(subscription):
    happen()
    assert delivery.deliver_due() == 0 and mail.outbox == []


def test_it_never_sends_a_row_twice(subscription):
    happen()
    _due_now()
    delivery.deliver_due()
    delivery.deliver_due()
    assert len(mail.outbox) == 1


def test_it_writes_in_the_subscribers_language_with_unsubscribe_headers(db):
    sub = make_subscription(email="tamar@example.ge")
    sub.language = "en"
    sub.save()
    happen()
    _due_now()
    delivery.deliver_due()
    message = mail.outbox[0]
    assert message.subject.startswith("Smart Map: 1 update in")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/en/subscriptions/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/en/subscriptions/manage/" in message.body
    html = message.alternatives[0][0]
    assert "<a href=" in html and "/en/layers/construction-permits/1/" in html
    assert message.extra_headers["Message-ID"].startswith(f"<smartmap.{sub.pk}.")


def test_it_writes_georgian_by_default(subscription):
    happen()
    _due_now()
    delivery.deliver_due()
    assert "/ka/subscriptions/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_it_retries_a_failed_send_with_backoff_and_gives_up_in_the_end(subscription, settings):
    settings.SUBSCRIPTIONS_MAX_ATTEMPTS = 2
    happen()
    _due_now()
    with mock.patch(LOCMEM_SEND, autospec=True, side_effect=ConnectionRefusedError("smtp down")):
        delivery.deliver_due()
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == ("pending", 1) and "smtp down" in row.last_error
    assert row.due_at > timezone.now()
    _due_now()
    with mock.patch(LOCMEM_SEND, autospec=True, side_effect=ConnectionRefusedError("smtp down")):
        delivery.deliver_due()
    assert Delivery.objects.get().status == "failed"


def test_it_takes_back_rows_a_dead_worker_had_claimed(subscription, settings):
    happen()
    _due_now()
    claimed = delivery.claim_due(worker="dead-host:1")
    assert claimed and Delivery.objects.get().status == "sending"
    assert delivery.deliver_due() == 0  # still within the claim timeout
    Delivery.objects.update(
        claimed_at=timezone.now() - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS + 1)
    )
    assert delivery.deliver_due() == 1
    assert Delivery.objects.get().status == "sent"


def test_two_workers_never_claim_the_same_row(subscription):
    happen(item_id=1)
    happen(item_id=2)
    _due_now()
    first = delivery.claim_due(worker="a:1")
    second = delivery.claim_due(worker="b:2")
    assert sum(len(ids) for ids in first.values()) == 2 and second == {}


def test_it_cancels_rows_of_a_subscription_that_ended_meanwhile(subscription):
    happen()
    _due_now()
    subscription.unsubscribed_at = timezone.now()
    subscription.save()
    assert delivery.deliver_due() == 0
    assert Delivery.objects.get().status == "cancelled" and mail.outbox == []

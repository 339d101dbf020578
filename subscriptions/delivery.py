"""Sending what the ledger holds: claim, send, mark — exactly once, whatever crashes.

The protocol:
1. claim_due() moves every due `pending` row of up to N subscriptions (those due longest first) to
   `sending` in one UPDATE, stamping the worker and time. Two workers racing for the same rows
   cannot both win: the UPDATE re-checks `status = 'pending'` on each row after taking its lock.
2. One email per subscription carries all its claimed rows (an "instant" subscription's rows
   are due a couple of minutes after the event, so what arrives together goes out together;
   digests are due at 08:00 Tbilisi time).
3. After the mail server accepts the message, the rows become `sent` — only if still claimed
   by this worker. A failure puts them back to `pending` with a backoff, or `failed` after the
   last attempt (visible to admins).
4. A worker killed between 1 and 3 leaves its rows in `sending`. release_stale() returns rows
   claimed longer than SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS ago to `pending`; they are sent then.
   If the kill came after the mail server accepted the message but before step 3 was recorded,
   that message is sent again — with the same Message-ID, which the group's first row fixes, so
   mail clients can fold the two. This is the only way a resident sees a message twice.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from subscriptions.models import Delivery

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"

# The subscriptions are picked from the head of the queue, oldest due first, through the partial
# index on pending rows: a bounded read whatever the ledger holds. (A plain DISTINCT over the pending
# rows walked the ledger in subscription order and read every row already sent on the way: 0.4 s a
# round with 700,000 sent rows ahead, growing as a backlog drains; bench/README-subscriptions.md.)
CLAIM_SQL = """
WITH head AS (
    SELECT subscription_id FROM subscriptions_delivery
    WHERE status = 'pending' AND due_at <= now()
    ORDER BY due_at
    LIMIT %(head)s
), due AS (
    SELECT DISTINCT subscription_id FROM head LIMIT %(subscriptions)s
)
UPDATE subscriptions_delivery d
SET status = 'sending', claimed_at = now(), claimed_by = %(worker)s, attempts = d.attempts + 1
FROM due
WHERE d.subscription_id = due.subscription_id AND d.status = 'pending' AND d.due_at <= now()
RETURNING d.id, d.subscription_id
"""


def claim_due(max_subscriptions: int = 50, worker: str = WORKER) -> dict[int, list[int]]:
    """Claim every due row of up to max_subscriptions subscriptions, those due longest first;
    returns {subscription id: [delivery ids]}."""
    params = {"head": max_subscriptions * 20, "subscriptions": max_subscriptions, "worker": worker}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, params)
        groups: dict[int, list[int]] = {}
        for delivery_id, subscription_id in cursor.fetchall():
            groups.setdefault(subscription_id, []).append(delivery_id)
    return groups


def mark_sent(ids: list[int], message_id: str, worker: str = WORKER) -> int:
    return Delivery.objects.filter(id__in=ids, status=Delivery.Status.SENDING, claimed_by=worker).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), message_id=message_id
    )


def mark_failed(ids: list[int], error: str, worker: str = WORKER, permanent: bool = False) -> None:
    """A temporary failure goes back to pending with a backoff; the last attempt, or a permanent
    failure (a message that cannot be built), fails for good with its reason."""
    now = timezone.now()
    rows = Delivery.objects.filter(id__in=ids, status=Delivery.Status.SENDING, claimed_by=worker)
    for delivery in rows.only("id", "attempts"):
        if permanent or delivery.attempts >= settings.SUBSCRIPTIONS_MAX_ATTEMPTS:
            Delivery.objects.filter(id=delivery.id).update(status=Delivery.Status.FAILED, last_error=error[:2000])
        else:
            backoff = timedelta(minutes=2**delivery.attempts)
            Delivery.objects.filter(id=delivery.id).update(
                status=Delivery.Status.PENDING, due_at=now + backoff, last_error=error[:2000]
            )


def release_stale() -> int:
    """Rows a dead worker had claimed go back to pending."""
    cutoff = timezone.now() - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS)
    return Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Delivery.Status.PENDING, claimed_by=""
    )


def deliver_due(max_rounds: int = 20) -> int:
    """Send everything due now; returns the number of emails sent."""
    from subscriptions.emails import Cancelled, Unbuildable, send_digest

    release_stale()
    sent = 0
    for _ in range(max_rounds):
        groups = claim_due()
        if not groups:
            break
        for subscription_id, ids in groups.items():
            try:
                message_id = send_digest(subscription_id, ids)
            except Cancelled:
                continue
            except Unbuildable as exc:
                log.warning("subscription %s: the message cannot be built: %s", subscription_id, exc)
                mark_failed(ids, str(exc), permanent=True)
                continue
            except Exception as exc:  # SMTP refusals, timeouts: recorded on the rows, retried
                log.warning("subscription %s: sending failed: %s", subscription_id, exc)
                mark_failed(ids, f"{exc.__class__.__name__}: {exc}")
                continue
            mark_sent(ids, message_id)
            sent += 1
    return sent

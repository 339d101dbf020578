"""Sending what the ledger holds: claim, send, mark — exactly once, whatever crashes.

The protocol:
1. claim_due() moves every due `pending` row of up to N subscriptions (those due longest first) to
   `sending` in one UPDATE, stamping the worker and time. Two workers racing for the same rows
   cannot both win: the UPDATE re-checks `status = 'pending'` on each row after taking its lock.
   Workers claiming at the same moment do not queue behind each other either: the head of the queue
   is read FOR UPDATE SKIP LOCKED, so each takes the next rows nobody is claiming, and any number of
   workers (processes, machines) drain the ledger in parallel.
2. One email per subscription carries all its claimed rows, built once, and every email of a run
   goes through one connection to the mail server (subscriptions/outbox.py) (an "instant" subscription's rows
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
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from layers.models import Event
from subscriptions import emails
from subscriptions.models import Delivery, Subscription
from subscriptions.outbox import Outbox

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Who claims: this process, asked at call time (Celery's pool processes are forked after import)."""
    return f"{socket.gethostname()}:{os.getpid()}"


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
    FOR UPDATE SKIP LOCKED
), due AS (
    SELECT DISTINCT subscription_id FROM head LIMIT %(subscriptions)s
)
UPDATE subscriptions_delivery d
SET status = 'sending', claimed_at = now(), claimed_by = %(worker)s, attempts = d.attempts + 1
FROM due
WHERE d.subscription_id = due.subscription_id AND d.status = 'pending' AND d.due_at <= now()
RETURNING d.id, d.subscription_id
"""


def claim_due(max_subscriptions: int = 50, worker: str | None = None) -> dict[int, list[int]]:
    """Claim every due row of up to max_subscriptions subscriptions, those due longest first;
    returns {subscription id: [delivery ids]}."""
    worker = worker or worker_name()
    params = {"head": max_subscriptions * 20, "subscriptions": max_subscriptions, "worker": worker}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, params)
        groups: dict[int, list[int]] = {}
        for delivery_id, subscription_id in cursor.fetchall():
            groups.setdefault(subscription_id, []).append(delivery_id)
    return groups


def mark_sent(ids: list[int], message_id: str, worker: str | None = None) -> int:
    rows = Delivery.objects.filter(id__in=ids, status=Delivery.Status.SENDING, claimed_by=worker or worker_name())
    return rows.update(status=Delivery.Status.SENT, sent_at=timezone.now(), message_id=message_id)


def mark_failed(ids: list[int], error: str, worker: str | None = None, permanent: bool = False) -> None:
    """A temporary failure goes back to pending with a backoff; the last attempt, or a permanent
    failure (a message that cannot be built), fails for good with its reason."""
    now = timezone.now()
    rows = Delivery.objects.filter(id__in=ids, status=Delivery.Status.SENDING, claimed_by=worker or worker_name())
    for delivery in rows.only("id", "attempts"):
        if permanent or delivery.attempts >= settings.SUBSCRIPTIONS_MAX_ATTEMPTS:
            Delivery.objects.filter(id=delivery.id).update(status=Delivery.Status.FAILED, last_error=error[:2000])
        else:
            backoff = timedelta(seconds=settings.SUBSCRIPTIONS_RETRY_SECONDS * 2 ** (delivery.attempts - 1))
            Delivery.objects.filter(id=delivery.id).update(
                status=Delivery.Status.PENDING, due_at=now + backoff, last_error=error[:2000]
            )


def release_stale() -> int:
    """Rows a dead worker had claimed go back to pending."""
    cutoff = timezone.now() - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS)
    return Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Delivery.Status.PENDING, claimed_by=""
    )


def deliver_due(max_seconds: float = 200) -> int:
    """Send everything due now, round after round, until nothing is due or max_seconds have passed
    (below the task's time limit); returns the number of emails sent. Several of these may run at once,
    in any number of workers: each claims its own rows (claim_due skips rows another is claiming)."""
    release_stale()
    sent, deadline = 0, time.monotonic() + max_seconds
    with Outbox() as outbox:
        while time.monotonic() < deadline and (groups := claim_due()):
            sent += _send_round(groups, outbox)
    return sent


def _send_round(groups: dict[int, list[int]], outbox: Outbox) -> int:
    """One email per claimed subscription; what the round needs is read in two queries, not per email."""
    # Without the areas: a whole district's outline is thousands of vertices that no email needs.
    subscriptions = Subscription.objects.defer("geom", "center").in_bulk(list(groups))
    events = _events_of(groups)
    sent = 0
    for subscription_id, ids in groups.items():
        subscription = subscriptions.get(subscription_id)
        # Ended after the rows were matched, or nothing in them is public any more (hidden since).
        if subscription is None or not subscription.is_active or not events[subscription_id]:
            Delivery.objects.filter(id__in=ids).update(status=Delivery.Status.CANCELLED)
            continue
        try:
            message = emails.digest(subscription, events[subscription_id], ids)
        except emails.Unbuildable as exc:
            log.warning("subscription %s: the message cannot be built: %s", subscription_id, exc)
            mark_failed(ids, str(exc), permanent=True)
            continue
        try:
            outbox.send(message)
        except Exception as exc:  # SMTP refusals, timeouts, a server gone twice: recorded on the rows, retried
            log.warning("subscription %s: sending failed: %s", subscription_id, exc)
            mark_failed(ids, f"{exc.__class__.__name__}: {exc}")
            continue
        # Recorded at once after the 250, message by message: a crash now can resend only this one.
        mark_sent(ids, message.extra_headers["Message-ID"])
        sent += 1
    return sent


def _events_of(groups: dict[int, list[int]]) -> dict[int, list[Event]]:
    """The events of every claimed row (its first and its also_events), per subscription, each once and
    in the order they happened."""
    rows = Delivery.objects.filter(id__in=[i for ids in groups.values() for i in ids])
    wanted: dict[int, set[int]] = {subscription_id: set() for subscription_id in groups}
    for subscription_id, first, also in rows.values_list("subscription_id", "event_id", "also_events"):
        wanted[subscription_id].update([first, *also])
    # Only what the public may see now: an email not yet sent is a public surface like any other,
    # so the events of a report hidden since they were matched are left out.
    by_id = Event.objects.public().select_related("district").in_bulk(set().union(*wanted.values()))
    events: dict[int, list[Event]] = {}
    for subscription_id, ids in wanted.items():
        group = [by_id[i] for i in ids if i in by_id]  # deleted (demo data) or withheld since: skipped
        # Unknown dates last, as PostgreSQL orders NULLs in ascending order.
        group.sort(key=lambda e: (e.occurred_at is None, e.occurred_at or e.recorded_at, e.id))
        events[subscription_id] = group
    return events

"""Celery tasks of the subscriptions. Beat runs deliver_notifications every minute.

No task is enqueued per match: the ledger is the queue, and this periodic task drains it. With
Redis or every worker down, rows wait in PostgreSQL and are sent when a worker runs again.

When more is due than one worker sends in a moment (an import's digests, 08:00's daily mail), beat's
task asks for helpers: SUBSCRIPTIONS_DELIVERY_PARALLEL - 1 drain_notifications tasks on the same
queue, taken by whichever worker processes are free, on this machine or others. Each claims its own
rows (subscriptions/delivery.py), so helpers that find nothing left simply end; a lost helper task
costs nothing, since the next minute's run drains what it would have.
"""

import logging

from celery import shared_task
from django.db import connection

from subscriptions.delivery import deliver_due

log = logging.getLogger(__name__)
BACKLOG = 200  # due rows above which one worker is not enough


@shared_task(bind=True, soft_time_limit=240, time_limit=300)
def deliver_notifications(self):
    helpers = _helpers_needed()
    queue = (self.request.delivery_info or {}).get("routing_key")
    for _ in range(helpers):
        try:
            drain_notifications.apply_async(queue=queue, retry=False)
        except Exception as exc:  # the broker went away: this run drains alone
            log.warning("could not ask for delivery helpers: %s", exc)
            break
    return deliver_due()


@shared_task(soft_time_limit=240, time_limit=300)
def drain_notifications():
    return deliver_due()


def _helpers_needed() -> int:
    from django.conf import settings

    with connection.cursor() as cursor:
        # Counted up to BACKLOG + 1 through the partial index on pending rows: a bounded read.
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM subscriptions_delivery WHERE status = 'pending' "
            "AND due_at <= now() LIMIT %s) due",
            [BACKLOG + 1],
        )
        due = cursor.fetchone()[0]
    return max(0, settings.SUBSCRIPTIONS_DELIVERY_PARALLEL - 1) if due > BACKLOG else 0

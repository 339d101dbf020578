"""Celery tasks of the subscriptions. Beat runs deliver_notifications every minute.

No task is enqueued per match: the ledger is the queue, and this periodic task drains it. With
Redis or every worker down, rows wait in PostgreSQL and are sent when a worker runs again.
"""

from celery import shared_task

from subscriptions.delivery import deliver_due


@shared_task(soft_time_limit=240, time_limit=300)
def deliver_notifications():
    return deliver_due()

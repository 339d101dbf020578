"""Supporters: residents who have the same problem add their voice instead of filing another report.

One support per account or per email address (unique constraints decide, so two clicks at once
count once). When staff close a report as a duplicate, its reporter and supporters move to the
original, which is what the city then sees counted.
"""

from django.db import IntegrityError, transaction

from fixtracker.actions.timeline import add_update, real
from fixtracker.models import Report, ReportUpdate, Supporter


@transaction.atomic
def do_support(report: Report, *, user=None, email: str = "") -> bool:
    """Add a supporter ("I have this problem too"); False if they already support it."""
    try:
        with transaction.atomic():
            Supporter.objects.create(
                report=report, user=user if real(user) else None, email="" if real(user) else email
            )
    except IntegrityError:
        return False
    report.supporters_count = 1 + report.supporters.count()
    report.save(update_fields=["supporters_count", "updated_at"])
    add_update(report, ReportUpdate.Kind.SUPPORT, user, by=ReportUpdate.Actor.RESIDENT)
    return True


def merge_supporters(duplicate: Report, original: Report, actor):
    """Inside the caller's transaction: the duplicate's people now support the original."""
    for supporter in duplicate.supporters.all():
        Supporter.objects.get_or_create(report=original, user=supporter.user, email=supporter.email)
    Supporter.objects.get_or_create(
        report=original, user=duplicate.reporter, email="" if duplicate.reporter else duplicate.reporter_email
    )
    original.supporters_count = 1 + original.supporters.count()
    original.save(update_fields=["supporters_count", "updated_at"])
    add_update(
        original,
        ReportUpdate.Kind.DUPLICATE,
        actor,
        by=ReportUpdate.Actor.DEPARTMENT,
        department=duplicate.department,
        data={"duplicate": duplicate.reference},
    )

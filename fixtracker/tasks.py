"""Fix-Tbilisi background work. Every task takes ids and is safe to run twice.

- process_report_photos, sweep_photos: the public, metadata-free copy of each new photo. They are
  defined in fixtracker.photos, beside the re-encoding (so the actions that store photos queue them
  without importing this module), and imported here: this is the module the worker loads.
- mark_overdue_reports (beat, every minute): stamps missed deadlines once per report and
  deadline (a conditional UPDATE decides), records the event and tells the department head.
- notify_new_reports (beat): tells a department's staff of new reports in their queue, once.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from fixtracker.actions.overdue import mark_overdue
from fixtracker.models import Report
from fixtracker.photos import process_report_photos, sweep_photos

log = logging.getLogger(__name__)

__all__ = ["mark_overdue_reports", "notify_new_reports", "process_report_photos", "sweep_photos"]


@shared_task(soft_time_limit=120)
def mark_overdue_reports():
    for report_id, which in mark_overdue():
        report = Report.objects.select_related("department", "category").get(id=report_id)
        heads = Membership.objects.filter(department=report.department, role=Membership.Role.HEAD).select_related(
            "user"
        )
        for membership in heads:
            _mail(
                membership.user,
                gettext_lazy("Overdue: report %(ref)s"),
                # Whole sentences per deadline: Georgian inflects the word, a slotted noun would not fit.
                gettext_lazy("The response deadline of report %(ref)s (%(category)s) has passed: %(url)s")
                if which == "response"
                else gettext_lazy("The resolution deadline of report %(ref)s (%(category)s) has passed: %(url)s"),
                report,
            )


@shared_task(soft_time_limit=120)
def notify_new_reports():
    fresh = Report.objects.public().filter(staff_notified_at__isnull=True).filter(~Q(status=Report.Status.UNCONFIRMED))
    for report_id in fresh.values_list("id", flat=True)[:500]:
        if (
            Report.objects.filter(id=report_id, staff_notified_at__isnull=True).update(staff_notified_at=timezone.now())
            != 1
        ):
            continue
        report = Report.objects.select_related("department", "category").get(id=report_id)
        for membership in Membership.objects.filter(department=report.department).select_related("user"):
            _mail(
                membership.user,
                gettext_lazy("New report %(ref)s: %(category)s"),
                gettext_lazy("A new report is in your queue: %(url)s"),
                report,
            )


def _mail(user, subject, body, report):
    """Subject and body are lazy translations, rendered in the recipient's own language."""
    with translation.override(user.language or "ka"):
        context = {
            "ref": report.reference,
            "category": report.category.name,
            "url": f"{settings.SITE_URL}/{translation.get_language()}/staff/reports/{report.reference}/",
        }
        try:
            send_mail(str(subject) % context, str(body) % context, None, [user.email])
        except Exception:  # a staff alert must not stop the sweep; the queue shows it anyway
            log.exception("could not email %s about %s", user.email, report.reference)

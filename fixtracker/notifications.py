"""Emails of Fix-Tbilisi that are not subscription notifications: the links confirming a report or a support.

Status changes reach the reporter through the subscriptions' ledger (they follow their report),
so they are exactly-once and in the reporter's language like every other notification.

The confirmation is sent once, after the report commits (fixtracker.actions.submitting). A mail
server that refuses it or cannot be reached must not turn a stored report into an error page: the
failure is logged and the report waits, unconfirmed and unpublished, as it would for a reporter
who never opens the link. A report filed through an Open311 application names the application, so a
report filed in someone's name by an app they never used is easy to recognise and ignore.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tokens import make_token
from fixtracker.models import Report

log = logging.getLogger(__name__)

CONFIRM_REPORT = "confirm-report"


def has_verified_email(user) -> bool:
    return user is not None and user.is_authenticated and user.has_verified_email()


def confirmation_url(report: Report) -> str:
    return settings.SITE_URL + reverse("fixtracker:confirm", args=[make_token(CONFIRM_REPORT, report.pk)])


def send_report_confirmation(report_id: int, language: str = "ka", *, client: str = "") -> bool:
    """Email the confirmation link; False (logged, never raised) when the mail server fails."""
    report = Report.objects.select_related("category").get(pk=report_id)
    template = "fixtracker/email/open311_confirm" if client else "fixtracker/email/confirm"
    with translation.override(language if language in ("ka", "en") else "ka"):
        context = {"report": report, "client": client, "confirm_url": confirmation_url(report)}
        message = EmailMultiAlternatives(
            subject=render_to_string(f"{template}_subject.txt", context).strip(),
            body=render_to_string(f"{template}.txt", context),
            to=[report.reporter_email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:  # SMTP refusals, timeouts, DNS: smtplib and socket raise a zoo of them
        log.exception("could not send the confirmation of report %s", report.reference)
        return False
    return True


CONFIRM_SUPPORT = "confirm-support"


def send_support_confirmation(supporter_id: int, address: str, language: str = "ka") -> bool:
    """Email the link that makes a support count, to the address as it was typed; False when it fails."""
    from fixtracker.models import Supporter

    supporter = Supporter.objects.select_related("report__category").get(pk=supporter_id)
    template = "fixtracker/email/confirm_support"
    with translation.override(language if language in ("ka", "en") else "ka"):
        token = make_token(CONFIRM_SUPPORT, supporter.pk)
        context = {
            "report": supporter.report,
            "confirm_url": settings.SITE_URL + reverse("fixtracker:confirm-support", args=[token]),
        }
        message = EmailMultiAlternatives(
            subject=render_to_string(f"{template}_subject.txt", context).strip(),
            body=render_to_string(f"{template}.txt", context),
            to=[address],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:  # as for a report's confirmation: the support waits, uncounted
        log.exception("could not send the confirmation of a support of %s", supporter.report.reference)
        return False
    return True

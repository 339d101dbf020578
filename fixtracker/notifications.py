"""Emails of Fix-Tbilisi that are not subscription notifications: the report's confirmation link.

Status changes reach the reporter through the subscriptions' ledger (they follow their report),
so they are exactly-once and in the reporter's language like every other notification.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tokens import make_token
from fixtracker.models import Report

CONFIRM_REPORT = "confirm-report"


def has_verified_email(user) -> bool:
    return user is not None and user.is_authenticated and user.has_verified_email()


def confirmation_url(report: Report) -> str:
    return settings.SITE_URL + reverse("fixtracker:confirm", args=[make_token(CONFIRM_REPORT, report.pk)])


def send_report_confirmation(report_id: int, language: str = "ka") -> None:
    report = Report.objects.select_related("category").get(pk=report_id)
    with translation.override(language if language in ("ka", "en") else "ka"):
        context = {"report": report, "confirm_url": confirmation_url(report)}
        message = EmailMultiAlternatives(
            subject=render_to_string("fixtracker/email/confirm_subject.txt", context).strip(),
            body=render_to_string("fixtracker/email/confirm.txt", context),
            to=[report.reporter_email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string("fixtracker/email/confirm.html", context), "text/html")
    message.send()

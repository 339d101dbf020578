"""An update email about a followed report says what happened: the reference and the event in the
subject, the service's public response in the body, in the follower's language (issue 11)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.models import Report
from subscriptions import delivery
from subscriptions.models import Delivery
from tests.fixtracker.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
S = Report.Status


@pytest.mark.parametrize(
    ("language", "subject", "response"),
    [("en", "{} was resolved", "The service's response:"), ("ka", "{} გადაჭრილია", "სამსახურის პასუხი:")],
)
def test_the_reporter_learns_their_report_was_resolved(
    submit, resident, tbilservice_staff, language, subject, response
):
    resident.language = language
    resident.save()
    report = submit(user=resident, email=resident.email)
    do_change_status(
        report,
        Change(status=S.RESOLVED, text="ნათურა შეიცვალა 3 დეკემბერს", proof=[(upload(jpeg_bytes()), "image/jpeg")]),
        actor=tbilservice_staff,
        role="staff",
    )
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    mine = [m for m in mail.outbox if resident.email in m.to]
    assert mine, [m.subject for m in mail.outbox]
    message = mine[-1]
    assert message.subject == subject.format(report.reference)
    assert f"{response} ნათურა შეიცვალა 3 დეკემბერს" in message.body
    assert response in message.alternatives[0][0]
    assert ("on time" if language == "en" else "ვადაში") in message.body


@pytest.mark.parametrize(("language", "late"), [("en", "late by 2"), ("ka", "დაგვიანებით: 2")])
def test_a_late_resolution_says_how_late(submit, resident, tbilservice_staff, language, late):
    resident.language = language
    resident.save()
    report = submit(user=resident, email=resident.email)
    Report.objects.filter(pk=report.pk).update(resolution_due_at=timezone.now() - timedelta(days=2, hours=1))
    do_change_status(
        report,
        Change(status=S.RESOLVED, text="შეკეთდა", proof=[(upload(jpeg_bytes()), "image/jpeg")]),
        actor=tbilservice_staff,
        role="staff",
    )
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    body = [m for m in mail.outbox if resident.email in m.to][-1].body
    assert late in body, body

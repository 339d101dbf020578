"""A support counts only when a person stands behind it: a verified account, or an address's owner
who opened the emailed link. One per person; supports waiting for a link are limited per address."""

import re

import pytest
from django.core import mail

from fixtracker.actions.support import PER_HOUR, mailbox
from fixtracker.models import Report, Supporter
from tests.factories import UserFactory

URL = "/api/v1/reports/{}/support/"
LINK = re.compile(r"/(?:ka|en)/reports/support/confirm/\S+/")


@pytest.fixture
def report(submit):
    return submit()  # its reporter counts: supporters_count is 1


def support(client, report, email, **headers):
    return client.post(URL.format(report.reference), {"email": email}, **headers)


def count(report) -> int:
    return Report.objects.get(pk=report.pk).supporters_count


def test_two_hundred_addresses_from_one_connection_add_nothing(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [support(client, report, f"voter{i}@example.ge", HTTP_ACCEPT_LANGUAGE="en") for i in range(200)]
    accepted = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 429]
    assert len(accepted) == PER_HOUR["ip"] and len(refused) == 200 - PER_HOUR["ip"]
    assert all(a.json()["confirmation"] == "sent" and a.json()["confirmed"] is False for a in accepted)
    assert refused[0].json() == {
        "detail": "Many supports were sent from here in the last hour; please try again later.",
        "code": "throttled",
    }
    assert 0 < int(refused[0]["Retry-After"]) <= 3600
    assert Supporter.objects.filter(confirmed_at__isnull=True).count() == PER_HOUR["ip"]
    assert count(report) == 1  # nothing counted until someone opens a link
    assert len(mail.outbox) == PER_HOUR["ip"]  # one email per pending support, none for the refused


def test_the_limit_is_said_in_georgian(client, report):
    for i in range(PER_HOUR["ip"]):
        support(client, report, f"voter{i}@example.ge")
    refused = support(client, report, "one-more@example.ge", HTTP_ACCEPT_LANGUAGE="ka")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert re.search("[ა-ჰ]", refused.json()["detail"])


def test_the_link_counts_the_support_once(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert support(client, report, "Levan@Example.ge").json()["supporters"] == 1
    message = mail.outbox[0]
    assert message.to == ["Levan@Example.ge"] and report.reference in message.subject
    link = LINK.search(message.body).group(0)
    assert client.get(link).status_code == 200  # a page with a button: mail scanners do not count
    assert count(report) == 1
    assert client.post(link).status_code == 302
    assert count(report) == 2
    again = client.post(link)  # the link is in the supporter's language: Georgian
    assert again.status_code == 200 and "უკვე ჩათვლილია" in again.content.decode()
    assert count(report) == 2
    assert client.get(link[:-3] + "xx/").status_code == 400  # a forged link counts nothing


def test_supporting_twice_is_one_support(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = support(client, report, "levan@example.ge").json()
        again = support(client, report, "LEVAN+again@example.ge").json()  # the same mailbox
    assert (first["added"], first["confirmation"]) == (True, "sent")
    assert (again["added"], again["confirmation"]) == (False, "pending")
    assert len(mail.outbox) == 1 and Supporter.objects.count() == 1
    client.post(LINK.search(mail.outbox[0].body).group(0))
    assert support(client, report, "levan@example.ge").json() == {
        "added": False,
        "confirmed": True,
        "confirmation": "not needed",
        "supporters": 2,
    }


def test_one_mailbox_however_it_is_spelled():
    assert mailbox(" Nino.Beridze+map@GoogleMail.com ") == "ninoberidze@gmail.com"
    assert mailbox("nino.beridze+x@example.ge") == "nino.beridze@example.ge"


def test_a_verified_account_counts_at_once_and_once(client, report, resident, django_capture_on_commit_callbacks):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL.format(report.reference), {}).json()
        again = client.post(URL.format(report.reference), {}).json()
    assert first == {"added": True, "confirmed": True, "confirmation": "not needed", "supporters": 2}
    assert again["added"] is False and again["supporters"] == 2
    assert mail.outbox == []


def test_an_account_not_yet_verified_confirms_by_its_email(client, report, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(email="dato@example.ge", verified=False))
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post(URL.format(report.reference), {}).json()
    assert body["confirmation"] == "sent" and body["supporters"] == 1
    assert mail.outbox[0].to == ["dato@example.ge"]
    client.post(LINK.search(mail.outbox[0].body).group(0))
    assert count(report) == 2


def test_the_form_without_javascript_says_check_your_email(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/reports/{report.reference}/support/", {"email": "levan@example.ge"}, follow=True)
    assert b"Check your email and open the link we sent" in response.content
    assert count(report) == 1 and len(mail.outbox) == 1
    georgian = client.post(f"/ka/reports/{report.reference}/support/", {"email": "not-an-email"}, follow=True)
    assert re.search("[ა-ჰ]", georgian.content.decode()) and Supporter.objects.count() == 1


def test_a_bad_address_is_a_clear_400(client, report):
    response = support(client, report, "a\nb@example.ge", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["Sign in or give your email to add your support."]}

"""A timeline speaks the reader's language, whatever language the actor used.

Entries store who acted as a role and a department (never words), so a report worked on in
English reads in Georgian on /ka/ — the page, the API and the followers' emails — and the other
way round; a department is named in the reader's language.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts.models import Department
from fixtracker.actions.casework import do_transfer
from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.models import Report
from subscriptions import delivery
from subscriptions.models import Delivery
from tests.subscriptions.conftest import make_subscription

S = Report.Status
WORDS = {"ka": {"reporter": "განმცხადებელი"}, "en": {"reporter": "The reporter"}}


@pytest.fixture
def worked_on(submit, resident, tbilservice_staff):
    """A report worked on by staff and its reporter, each acting in the other language."""
    report = submit(user=resident)
    environment = Department.objects.get(slug="environment")
    with translation.override("en"):
        do_change_status(
            report, Change(status=S.NEEDS_INFORMATION, text="Which pole?"), actor=tbilservice_staff, role="staff"
        )
    with translation.override("ka"):
        do_change_status(
            report, Change(status=S.ACKNOWLEDGED, text="ავტობუსის გაჩერებასთან"), actor=resident, role="reporter"
        )
    with translation.override("en"):
        do_transfer(report, environment, actor=tbilservice_staff, text="Trees are theirs")
    return report, Department.objects.get(slug="tbilservice"), environment


@pytest.mark.parametrize("lang, other", [("ka", "en"), ("en", "ka")])
def test_the_page_names_who_acted_in_the_readers_language(client, worked_on, lang, other):
    report, tbilservice, environment = worked_on
    page = client.get(f"/{lang}/reports/{report.reference}/").content.decode()
    name, other_name = (
        (tbilservice.name_ka, tbilservice.name_en) if lang == "ka" else (tbilservice.name_en, tbilservice.name_ka)
    )
    assert name in page and other_name not in page
    assert WORDS[lang]["reporter"] in page and WORDS[other]["reporter"] not in page
    with translation.override(lang):
        assert f"{tbilservice.name} → {environment.name}" in page


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_the_api_names_who_acted_in_the_readers_language(client, worked_on, lang):
    report, tbilservice, _environment = worked_on
    body = client.get(f"/api/v1/reports/{report.reference}/", HTTP_ACCEPT_LANGUAGE=lang).json()
    by = {(e["kind"], e["status"]): (e["by"], e["by_role"], e["department"]) for e in body["timeline"]}
    name = tbilservice.name_ka if lang == "ka" else tbilservice.name_en
    assert by[("status", "needs_information")] == (name, "department", "tbilservice")
    assert by[("status", "acknowledged")] == (WORDS[lang]["reporter"], "reporter", None)
    assert by[("transfer", "")] == (name, "department", "tbilservice")


@pytest.mark.parametrize("reader, actor", [("ka", "en"), ("en", "ka")])
def test_a_followers_email_speaks_the_followers_language(submit, tbilservice_staff, reader, actor):
    report = submit()
    follower = make_subscription(
        "item", item_layer="reports", item_id=report.pk, groups=("status",), email="follower@example.ge"
    )
    follower.language = reader
    follower.save(update_fields=["language"])
    with translation.override(actor):
        do_change_status(report, Change(status=S.ACKNOWLEDGED), actor=tbilservice_staff, role="staff")
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    text = "".join(m.subject + m.body for m in mail.outbox if follower.email in m.to)
    words = {"ka": ("სტატუსი შეიცვალა", "Status changed"), "en": ("Status changed", "სტატუსი შეიცვალა")}[reader]
    assert words[0] in text and words[1] not in text

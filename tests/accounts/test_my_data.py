"""Download all my data (ZIP: JSON and photos) and delete my account (posts stay, reports anonymous,
subscriptions and personal data gone)."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.models import User
from fixtracker.models import Report
from forum import actions as forum_actions
from forum.models import Post
from subscriptions.models import Subscription
from tests.fixtracker.conftest import jpeg_bytes, upload
from tests.forum.conftest import start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(resident, stranger, submit):
    """Nino reported a problem with a photo, started a thread, and subscribed; Giorgi replied to her."""
    report = submit(
        user=resident,
        email=resident.email,
        name="Nino B.",
        show_name=True,
        photos=[(upload(jpeg_bytes()), "image/jpeg", None)],
    )
    thread = start_thread(resident, title="Nino's discussion", body="Nino's words")
    forum_actions.do_reply(
        thread, "A photo of the trees", author=resident, photos=[(upload(jpeg_bytes()), "image/jpeg")]
    )
    forum_actions.do_reply(thread, "Giorgi answers", author=stranger)
    return report, thread


def _zip(client, user):
    client.force_login(user)
    response = client.get(reverse("download-my-data"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_download_holds_my_data_and_my_photos(client, resident, active):
    report, thread = active
    archive = _zip(client, resident)
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == resident.email
    assert [r["reference"] for r in data["reports"]] == [report.reference]
    assert data["forum"]["threads"][0]["title"] == "Nino's discussion"
    assert [p["text"] for p in data["forum"]["posts"]] == ["Nino's words", "A photo of the trees"]
    assert any(s["item"] == f"forum:{thread.pk}" for s in data["subscriptions"]["subscriptions"])
    photos = [name for name in archive.namelist() if name.startswith("reports/")]
    assert photos == data["reports"][0]["photos"] and archive.read(photos[0])[:3] == b"\xff\xd8\xff"
    # The forum posts' photos too, as sent, named in the post they belong to.
    posted = [name for name in archive.namelist() if name.startswith("forum/")]
    assert posted == data["forum"]["posts"][1]["photos"] and archive.read(posted[0])[:3] == b"\xff\xd8\xff"


def test_the_download_holds_nothing_of_anyone_else(client, stranger, active):
    data = json.loads(_zip(client, stranger).read("data.json"))
    assert data["reports"] == [] and [p["text"] for p in data["forum"]["posts"]] == ["Giorgi answers"]
    assert "Nino" not in json.dumps(data)


def test_deleting_the_account_keeps_posts_and_anonymous_reports(client, resident, active):
    report, thread = active
    client.force_login(resident)
    response = client.post(reverse("delete-account"), {"password": "correct horse battery staple", "confirm": "on"})
    assert response.status_code == 200
    assert not User.objects.filter(email=resident.email).exists()
    report = Report.objects.get(pk=report.pk)
    assert (report.reporter, report.reporter_email, report.reporter_name, report.show_name) == (None, "", "", False)
    first = Post.objects.get(thread=thread, number=1)
    assert first.author is None and first.body == "Nino's words" and first.ip is None
    assert not Subscription.objects.filter(email__iexact="nino@example.ge").exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "deleted account" in page or "წაშლილი ანგარიში" in page


def test_deletion_needs_the_password_and_the_tick(client, resident, active):
    client.force_login(resident)
    assert client.post(reverse("delete-account"), {"password": "wrong", "confirm": "on"}).status_code == 400
    assert client.post(reverse("delete-account"), {"password": "correct horse battery staple"}).status_code == 400
    assert User.objects.filter(pk=resident.pk).exists()


def test_a_confirmed_new_address_moves_the_subscriptions(client, resident, active):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_changed

    old = EmailAddress.objects.get(user=resident)
    new = EmailAddress.objects.create(user=resident, email="nino.new@example.ge", verified=True)
    email_changed.send(sender=User, request=None, user=resident, from_email_address=old, to_email_address=new)
    assert set(Subscription.objects.filter(user=resident).values_list("email", flat=True)) == {"nino.new@example.ge"}


def test_the_address_change_page_asks_for_confirmation(client, resident):
    client.force_login(resident)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "nino.new@example.ge"})
    assert response.status_code in (200, 302)
    resident.refresh_from_db()
    assert resident.email == "nino@example.ge"  # unchanged until the new address is confirmed

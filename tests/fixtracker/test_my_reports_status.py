"""'My reports' shows each report's real status, in the page's language (issue 11)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tokens import make_token
from fixtracker.notifications import CONFIRM_REPORT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "waiting", "new"),
    [("en", "waiting for email confirmation", "new"), ("ka", "ელ. ფოსტით დადასტურების მოლოდინში", "ახალი")],
)
def test_my_reports_show_the_status_after_confirmation(client, resident, submit, language, waiting, new):
    report = submit(user=resident, email=resident.email, confirmed=False)
    client.force_login(resident)
    with translation.override(language):
        profile = reverse("profile")
        confirm = reverse("fixtracker:confirm", args=[make_token(CONFIRM_REPORT, report.pk)])
    page = client.get(profile).content.decode()
    assert report.reference in page and f'status-unconfirmed">{waiting}<' in page
    assert client.post(confirm).status_code == 302
    response = client.get(profile)
    page = response.content.decode()
    # The page is never kept by the browser: back to the tab after the email's link, it is current.
    assert "no-store" in response.headers["Cache-Control"]
    assert waiting not in page
    assert f'status-new">{new}<' in page

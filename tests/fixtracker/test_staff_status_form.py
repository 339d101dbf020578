"""The status form offers the next sensible step, and a refused save gives back what was typed."""

import re

import pytest

from fixtracker.models import Report
from fixtracker.workflow import next_step


def _selected(html):
    select = re.search(r'<select id="new-status".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([a-z_]+)" selected>', select)


@pytest.mark.parametrize(
    "current, expected",
    [
        ("new", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "resolved"),
        ("scheduled", "in_progress"),
        ("needs_information", "acknowledged"),
    ],
)
def test_the_next_step_is_the_selected_option(client, submit, tbilservice_staff, current, expected):
    report = submit()
    Report.objects.filter(pk=report.pk).update(status=current)
    client.force_login(tbilservice_staff)
    html = client.get(f"/en/staff/reports/{report.reference}/").content.decode()
    assert _selected(html) == [expected]


def test_a_moderator_is_offered_the_only_move_they_have():
    assert next_step("moderator", "new") == "closed"
    assert next_step("staff", "resolved") == ""


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_a_refused_save_keeps_the_typed_response_and_the_chosen_status(client, submit, tbilservice_staff, lang):
    report = submit()
    client.force_login(tbilservice_staff)
    response = client.post(
        f"/{lang}/staff/reports/{report.reference}/action/",
        {"action": "status", "status": "resolved", "text": "ნათურა შეიცვალა <b>ბოძზე</b>"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ("შედეგის ფოტო" if lang == "ka" else "Add a photo of the result as proof") in html
    assert "ნათურა შეიცვალა &lt;b&gt;ბოძზე&lt;/b&gt;</textarea>" in html
    assert _selected(html) == ["resolved"]
    assert Report.objects.get(pk=report.pk).status == "new"


def test_a_refused_close_keeps_the_reason_and_referral(client, submit, tbilservice_staff):
    report = submit()
    client.force_login(tbilservice_staff)
    response = client.post(
        f"/en/staff/reports/{report.reference}/action/",
        {
            "action": "status",
            "status": "closed",
            "reason": "duplicate",
            "duplicate_of": "TB-999999",
            "referred_to": "Tbilisi Transport Company",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no public report TB-999999" in html
    assert '<option value="duplicate" selected>' in html
    assert 'value="TB-999999"' in html and 'value="Tbilisi Transport Company"' in html
    assert _selected(html) == ["closed"]

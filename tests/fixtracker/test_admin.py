"""Admins manage categories, deadlines, routes, days off, templates and blocks; reports stay read-only."""

import pytest

from fixtracker.models import Block, DecreeDay


@pytest.mark.parametrize(
    "path",
    ["category", "category/add", "decreeday/add", "responsetemplate/add", "report", "open311key", "block/add"],
)
def test_the_admin_pages_open(admin_client, path):
    assert admin_client.get(f"/en/admin/fixtracker/{path}/").status_code == 200


def test_an_admin_adds_a_day_off_by_decree_and_a_block(admin_client, admin_user):
    admin_client.post("/en/admin/fixtracker/decreeday/add/", {"date": "2026-12-30", "name": "Government decree No. 1"})
    assert DecreeDay.objects.filter(date="2026-12-30").exists()
    admin_client.post("/en/admin/fixtracker/block/add/", {"email": "troll@example.ge", "reason": "spam"})
    assert Block.objects.get().created_by == admin_user


def test_reports_cannot_be_changed_in_the_admin(admin_client, submit):
    report = submit()
    page = admin_client.get(f"/en/admin/fixtracker/report/{report.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_a_day_off_by_decree_reaches_the_deadline_clock(db):
    from datetime import date

    from fixtracker.actions.timeline import calendar

    DecreeDay.objects.create(date=date(2026, 12, 30), name="Government decree")
    assert not calendar().is_working_day(date(2026, 12, 30))
    assert calendar().is_working_day(date(2026, 12, 29))

"""Staff: their queue, their reports only, actions from the page; overdue once; staff told of new reports."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from fixtracker.actions.overdue import mark_overdue
from fixtracker.models import Report
from fixtracker.tasks import mark_overdue_reports, notify_new_reports
from layers.models import Event
from tests.fixtracker.conftest import jpeg_bytes, upload


def test_staff_see_their_departments_queue_by_deadline(client, submit, tbilservice_staff):
    later, sooner = submit(), submit(email="b@example.ge")
    Report.objects.filter(pk=sooner.pk).update(response_due_at=timezone.now() + timedelta(minutes=5))
    client.force_login(tbilservice_staff)
    html = client.get("/en/staff/").content.decode()
    assert html.index(sooner.reference) < html.index(later.reference)


def test_staff_of_another_department_get_404(client, submit, environment_staff):
    report = submit()
    client.force_login(environment_staff)
    assert client.get(f"/en/staff/reports/{report.reference}/").status_code == 404
    response = client.post(
        f"/en/staff/reports/{report.reference}/action/", {"action": "status", "status": "acknowledged"}
    )
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == "new"
    assert report.reference not in client.get("/en/staff/").content.decode()


def test_residents_get_404_on_staff_pages(client, submit, resident):
    report = submit()
    client.force_login(resident)
    assert client.get("/en/staff/").status_code == 404
    assert client.get(f"/en/staff/reports/{report.reference}/").status_code == 404


def test_staff_acknowledge_and_resolve_with_proof_from_the_page(client, submit, tbilservice_staff):
    report = submit()
    client.force_login(tbilservice_staff)
    url = f"/en/staff/reports/{report.reference}/action/"
    client.post(url, {"action": "status", "status": "acknowledged", "text": "We are on it"})
    client.post(
        url,
        {
            "action": "status",
            "status": "resolved",
            "text": "Lamp replaced",
            "proof": [upload(jpeg_bytes(), "proof.jpg")],
        },
    )
    report.refresh_from_db()
    assert report.status == "resolved" and report.photos.filter(kind="proof").count() == 1


def test_a_refused_action_is_explained_not_crashed(client, submit, tbilservice_staff):
    report = submit()
    client.force_login(tbilservice_staff)
    response = client.post(
        f"/en/staff/reports/{report.reference}/action/", {"action": "status", "status": "resolved"}, follow=True
    )
    assert "public response" in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == "new"


def test_internal_notes_never_reach_the_public(client, submit, tbilservice_staff):
    report = submit()
    client.force_login(tbilservice_staff)
    client.post(f"/en/staff/reports/{report.reference}/action/", {"action": "note", "text": "ბოძი ძველია, შესაცვლელია"})
    assert "ბოძი ძველია" in client.get(f"/en/staff/reports/{report.reference}/").content.decode()
    client.logout()
    assert "ბოძი ძველია" not in client.get(f"/en/reports/{report.reference}/").content.decode()
    assert "ბოძი ძველია" not in client.get(f"/api/v1/reports/{report.reference}/").content.decode()


def test_a_transfer_keeps_the_report_open_and_its_clock_running(client, submit, tbilservice_staff):
    from accounts.models import Department

    report = submit()
    due = report.resolution_due_at
    client.force_login(tbilservice_staff)
    environment = Department.objects.get(slug="environment")
    client.post(
        f"/en/staff/reports/{report.reference}/action/",
        {"action": "transfer", "department": environment.pk, "text": "ხეების საქმეა"},
    )
    report.refresh_from_db()
    assert report.department == environment and report.status == "new" and report.resolution_due_at == due


def test_overdue_is_marked_once_even_if_beat_runs_twice(submit, tbilservice_head):
    report = submit()
    Report.objects.filter(pk=report.pk).update(response_due_at=timezone.now() - timedelta(minutes=1))
    mark_overdue_reports()
    mark_overdue_reports()
    assert mark_overdue() == []
    assert Event.objects.filter(layer="reports", item_id=report.pk, kind="deadline_missed").count() == 1
    assert report.updates.filter(kind="overdue").count() == 1
    heads_mail = [m for m in mail.outbox if "head@tbilservice.ge" in m.to]
    assert len(heads_mail) == 1 and report.reference in heads_mail[0].subject


def test_a_paused_report_is_not_overdue(submit):
    report = submit()
    Report.objects.filter(pk=report.pk).update(
        response_due_at=timezone.now() - timedelta(minutes=1), paused_at=timezone.now()
    )
    assert mark_overdue() == []


def test_staff_are_told_of_new_reports_once(submit, tbilservice_staff):
    report = submit()
    notify_new_reports()
    notify_new_reports()
    to_staff = [m for m in mail.outbox if tbilservice_staff.email in m.to]
    assert len(to_staff) == 1 and report.reference in to_staff[0].subject


def test_residents_find_their_reports_on_their_page(client, submit, resident):
    report = submit(user=resident)
    client.force_login(resident)
    assert report.reference in client.get("/en/profile/").content.decode()


def test_a_reports_marker_carries_its_clock(client, submit):
    import mapbox_vector_tile

    from layers.tiles import AGGREGATE_BELOW_ZOOM

    report = submit()
    Report.objects.filter(pk=report.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    z = AGGREGATE_BELOW_ZOOM + 2
    import math

    n = 2**z
    x = int((report.point.x + 180) / 360 * n)
    lat = math.radians(report.point.y)
    y = int((1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * n)
    response = client.get(f"/api/v1/layers/reports/tiles/{z}/{x}/{y}.mvt")
    features = mapbox_vector_tile.decode(response.content)["reports"]["features"]
    assert [f["properties"]["clock"] for f in features] == ["overdue"]


def test_a_moderator_hides_a_report_and_blocks_its_reporter(client, submit, moderator):
    from fixtracker.models import Block

    report = submit(email="troll@example.ge")
    client.force_login(moderator)
    url = f"/en/staff/reports/{report.reference}/action/"
    client.post(url, {"action": "hide", "text": "insults"})
    client.post(url, {"action": "block", "text": "insults, third time"})
    report.refresh_from_db()
    assert report.hidden_at is not None and not Report.objects.public().filter(pk=report.pk).exists()
    block = Block.objects.get()
    assert (block.email, block.ip, block.created_by) == ("troll@example.ge", "10.1.2.3", moderator)
    client.logout()
    response = client.post("/api/v1/reports/", {"category": "lamp-out", "lon": "44.756", "lat": "41.7105",
                                                 "description": "again", "email": "troll@example.ge"})
    assert response.status_code == 403


def test_staff_may_not_block(client, submit, tbilservice_staff):
    from fixtracker.models import Block

    report = submit()
    client.force_login(tbilservice_staff)
    assert client.post(f"/en/staff/reports/{report.reference}/action/", {"action": "block", "text": "x"}).status_code == 404
    assert not Block.objects.exists()

"""City Hall's voice: staff write as their department, mark the official answer, close and pin."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Post, Thread
from layers.models import Event

pytestmark = pytest.mark.django_db


def test_staff_post_as_their_department_and_mark_the_official_answer(client, thread, staff, department):
    client.force_login(staff)
    client.post(
        reverse("forum:reply", args=[thread.pk]),
        {"body": "The trees will be replanted.", "as_department": department.pk},
    )
    post = Post.objects.get(number=2)
    assert post.department == department
    page = Client().get(thread.get_absolute_url()).content.decode()
    assert department.name_en in page and "City Hall" in page and staff.display_name not in page
    assert client.post(reverse("forum:official", args=[post.pk])).status_code == 302
    thread.refresh_from_db()
    assert thread.answered_at and thread.status == "answered"
    assert Event.objects.filter(layer="forum", item_id=thread.pk, kind="status_changed").exists()
    listing = client.get(reverse("forum:index")).content.decode()
    assert "answered by City Hall" in listing


def test_a_resident_cannot_write_for_a_department(client, thread, replier, department):
    client.force_login(replier)
    response = client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": "Official!", "as_department": department.pk}
    )
    assert response.status_code == 403 and Post.objects.count() == 1


def test_only_the_department_marks_its_post_official(client, thread, replier):
    client.force_login(replier)
    client.post(reverse("forum:reply", args=[thread.pk]), {"body": "My opinion"})
    post = Post.objects.get(number=2)
    assert client.post(reverse("forum:official", args=[post.pk])).status_code == 403


def test_waiting_time_shows_until_answered(client, thread):
    Thread.objects.filter(pk=thread.pk).update(created_at=thread.created_at.replace(year=thread.created_at.year - 1))
    listing = client.get(reverse("forum:index")).content.decode()
    assert "waiting for City Hall for 36" in listing


def test_staff_close_with_a_summary_pin_and_lock(client, thread, staff):
    client.force_login(staff)
    assert client.post(reverse("forum:state", args=[thread.pk]), {"action": "close"}).status_code == 400
    client.post(reverse("forum:state", args=[thread.pk]), {"action": "close", "summary": "Replanting is planned."})
    client.post(reverse("forum:state", args=[thread.pk]), {"action": "pin"})
    client.post(reverse("forum:state", args=[thread.pk]), {"action": "lock"})
    thread.refresh_from_db()
    assert thread.is_closed and thread.pinned and thread.locked and thread.closing_summary == "Replanting is planned."
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Replanting is planned." in page and "closed to new replies" in page


def test_residents_cannot_close_threads(client, thread, replier):
    client.force_login(replier)
    assert client.post(reverse("forum:state", args=[thread.pk]), {"action": "close", "summary": "x"}).status_code == 403

"""Flags, automatic hiding by established accounts, the one queue, moderator actions and the audit log."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import actions as forum_actions
from forum.models import Post, PostRevision
from moderation.models import AuditEntry, Flag
from tests.forum.conftest import established, start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def reply(db):
    author = established(email="tamar@example.ge", display_name="Tamar")
    thread = start_thread(author)
    return forum_actions.do_reply(thread, "Call me on 599 12 34 56", author=established(email="levan@example.ge"))


def _flag(client, user, post, reason="personal_data"):
    client.force_login(user)
    return client.post(reverse("moderation:flag"), {"kind": "post", "id": post.pk, "reason": reason})


def test_three_established_accounts_hide_a_post_until_reviewed(client, reply):
    for n in range(2):
        _flag(client, established(email=f"f{n}@example.ge"), reply)
    assert Post.objects.get(pk=reply.pk).hidden_at is None
    _flag(client, established(email="f3@example.ge"), reply)
    post = Post.objects.get(pk=reply.pk)
    assert post.hidden_at is not None and post.hidden_reason == "pending_review"
    page = client.get(post.thread.get_absolute_url()).content.decode()
    assert "Call me on" not in page and "hidden by a moderator: hidden until a moderator reviews it" in page


def test_young_accounts_cannot_hide_by_themselves(client, reply):
    from tests.factories import UserFactory

    for n in range(5):
        _flag(client, UserFactory(email=f"young{n}@example.ge"), reply)
    assert Post.objects.get(pk=reply.pk).hidden_at is None and Flag.objects.count() == 5


def test_flagging_twice_ones_own_or_without_a_reason_is_refused(client, reply):
    flagger = established(email="f@example.ge")
    assert _flag(client, flagger, reply).status_code == 200
    assert _flag(client, flagger, reply).status_code == 409
    assert _flag(client, established(email="g@example.ge"), reply, reason="boring").status_code == 400
    assert _flag(client, reply.author, reply).status_code == 400
    response = client.post(reverse("moderation:flag"), {"kind": "post", "id": 999999, "reason": "spam"})
    assert response.status_code == 404
    assert Flag.objects.count() == 1


def test_a_moderator_restores_a_post_and_the_audit_log_shows_each_step(client, reply, moderator, admin_user):
    for n in range(3):
        _flag(client, established(email=f"f{n}@example.ge"), reply)
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Call me on 599 12 34 56" in queue and "personal data" in queue
    client.post(reverse("moderation:act"), {"kind": "post", "id": reply.pk, "action": "keep"})
    assert Post.objects.get(pk=reply.pk).hidden_at is None
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["auto_hide", "keep"]
    client.force_login(admin_user)
    exported = client.get(reverse("moderation:audit"), {"format": "csv"}).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert [r[2] for r in rows[1:]] == ["keep", "auto_hide"]


def test_hide_with_a_public_reason_and_edit_out_personal_data(client, reply, moderator):
    client.force_login(moderator)
    client.post(reverse("moderation:act"), {"kind": "post", "id": reply.pk, "action": "hide", "reason": "abuse"})
    assert Post.objects.get(pk=reply.pk).hidden_reason == "abuse"
    # Stored as the reason's code, worded in each reader's language, not the moderator's.
    path = reply.thread.get_absolute_url().split("/", 2)[2]  # without its /ka/ or /en/
    english = client.get(f"/en/{path}").content.decode()
    assert "hidden by a moderator: abuse" in english
    georgian = client.get(f"/ka/{path}").content.decode()
    assert "შეურაცხყოფა" in georgian and ": abuse" not in georgian
    forum_actions.do_edit_post(Post.objects.get(pk=reply.pk), "Call me on 599 12 34 56, evenings")
    client.post(
        reverse("moderation:act"),
        {"kind": "post", "id": reply.pk, "action": "edit_out", "text": "Call me (number removed)"},
    )
    post = Post.objects.get(pk=reply.pk)
    assert post.body == "Call me (number removed)" and post.hidden_at is None
    assert not PostRevision.objects.filter(post=post).exists()
    entry = AuditEntry.objects.get(action="edit_out")
    assert "599 12 34 56" in entry.data["original"]["text"]
    history = client.get(reverse("forum:history", args=[post.pk])).content.decode()
    assert "599" not in history


def test_block_the_author(client, reply, moderator):
    client.force_login(moderator)
    assert (
        client.post(reverse("moderation:act"), {"kind": "post", "id": reply.pk, "action": "block"}).status_code == 400
    )
    client.post(reverse("moderation:act"), {"kind": "post", "id": reply.pk, "action": "block", "why": "harassment"})
    client.force_login(reply.author)
    response = client.post(reverse("forum:reply", args=[reply.thread_id]), {"body": "I am still here"})
    assert response.status_code == 403


def test_reports_and_photos_are_in_the_same_queue(client, moderator, submit):
    report = submit(description="ჩემი მეზობლის სახელია ...")
    for n in range(3):
        client.force_login(established(email=f"f{n}@example.ge"))
        client.post(reverse("moderation:flag"), {"kind": "report", "id": report.pk, "reason": "personal_data"})
    report.refresh_from_db()
    assert report.hidden_at is not None
    client.force_login(moderator)
    assert report.reference in client.get(reverse("moderation:queue")).content.decode()


def test_only_moderators_see_the_queue_and_only_admins_the_log(client, resident, moderator):
    client.force_login(resident)
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.post(reverse("moderation:act"), {"kind": "post", "id": 1, "action": "keep"}).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("moderation:audit")).status_code == 403
    assert timezone.now()


def test_a_block_for_a_period_ends_by_itself(client, reply, moderator):
    from datetime import timedelta

    from fixtracker.models import Block

    client.force_login(moderator)
    act = {"kind": "post", "id": reply.pk, "action": "block", "why": "insults"}
    assert client.post(reverse("moderation:act"), {**act, "for": "365"}).status_code == 400  # not a period offered
    assert not Block.objects.exists()
    client.post(reverse("moderation:act"), {**act, "for": "7"})
    block = Block.objects.get()
    assert timedelta(days=6, hours=23) < block.until - timezone.now() <= timedelta(days=7)
    assert AuditEntry.objects.get(action="block").data["until"] == block.until.isoformat()
    client.force_login(reply.author)
    assert client.post(reverse("forum:reply", args=[reply.thread_id]), {"body": "I am still here"}).status_code == 403
    Block.objects.update(until=timezone.now() - timedelta(seconds=1))  # the week has passed
    response = client.post(reverse("forum:reply", args=[reply.thread_id]), {"body": "I am back, politely"})
    assert response.status_code in (200, 302)


def test_the_queue_offers_the_block_periods_in_georgian(client, reply, moderator):
    for n in range(3):
        _flag(client, established(email=f"f{n}@example.ge"), reply)
    client.force_login(moderator)
    page = client.get("/ka/moderation/").content.decode()
    assert 'name="for"' in page and "სამუდამოდ" in page

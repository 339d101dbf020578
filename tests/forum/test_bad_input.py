"""Every bad input the issue lists gets a clear 4xx and stores nothing."""

import json

import pytest
from django.urls import reverse

from forum.models import Post, Thread
from tests.forum.conftest import FREEDOM_SQUARE, established

pytestmark = pytest.mark.django_db

GOOD = {"section": "trees", "title": "Plane trees in Vake", "body": "Why are they cut?"}


def _refused(client, user, status=400, **changes):
    client.force_login(user)
    before = (Thread.objects.count(), Post.objects.count())
    response = client.post(reverse("forum:new"), {**GOOD, **changes})
    assert response.status_code == status, response.content.decode()[:400]
    assert (Thread.objects.count(), Post.objects.count()) == before
    return response.content.decode()


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"title": ""}, "title of at least"),
        ({"title": "x" * 151}, "at most 150"),
        ({"body": ""}, "write some text"),
        ({"body": "x " * 10_001}, "at most 20000"),
        ({"body": "<script>alert(1)</script>"}, "HTML is not allowed"),
        ({"body": "Look <b>here</b>"}, "HTML is not allowed"),
        ({"body": "[click](javascript:alert(1))"}, "Only web and email links"),
        ({"body": "[img](data:text/html;base64,PHNjcmlwdD4=)"}, "Only web and email links"),
        ({"title": "Plane trees \u202ein Vake"}, "invisible or direction-changing"),
        ({"title": "Plane\u200btrees in Vake"}, "invisible or direction-changing"),
        ({"body": "a" * 10_000}, "words may be at most"),
        ({"section": "nope"}, "choose a section"),
        ({"items": "construction-permits:999999"}, "not a map item or discussion that exists"),
        ({"links": "https://example.org/ka/layers/construction-permits/999999/"}, "not a map item"),
        (
            {"place_kind": "point", "place": json.dumps({"type": "Point", "coordinates": [2.35, 48.85]})},
            "outside Tbilisi",
        ),
        ({"place_kind": "point", "place": "not json"}, "must be a point"),
        ({"place_kind": "district", "district": "atlantis"}, "districts"),
        ({"website": "http://spam.example"}, "by a program"),
    ],
)
def test_it_refuses_bad_thread_input(client, author, changes, says):
    assert says in _refused(client, author, **changes)


def test_it_refuses_an_area_outside_tbilisi(client, author):
    paris = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}
    assert "must lie inside Tbilisi" in _refused(client, author, place_kind="area", place=json.dumps(paris))


def test_it_refuses_the_same_text_twice(client, author):
    client.force_login(author)
    client.post(reverse("forum:new"), GOOD)
    assert "already posted this same text" in _refused(client, author, 409, title="Another title here")


def test_it_refuses_replies_to_a_locked_thread(client, thread, replier):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    client.force_login(replier)
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Let me in"})
    assert response.status_code == 403 and Post.objects.count() == 1


def test_it_refuses_replies_to_a_hidden_thread(client, thread, replier):
    from django.utils import timezone

    Thread.objects.filter(pk=thread.pk).update(hidden_at=timezone.now(), hidden_reason="spam")
    client.force_login(replier)
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Let me in"})
    assert response.status_code == 403 and Post.objects.count() == 1


def test_it_refuses_posting_while_blocked(client, thread, replier):
    from fixtracker.models import Block

    Block.objects.create(user=replier, reason="abuse")
    client.force_login(replier)
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "I am back"})
    assert response.status_code == 403 and Post.objects.count() == 1


def test_a_new_account_may_put_only_a_few_links_in_a_post(client, thread):
    newcomer = established(email="new@example.ge")
    newcomer.date_joined = thread.created_at
    newcomer.save()
    client.force_login(newcomer)
    body = " ".join(f"[l{n}](https://example.ge/{n})" for n in range(3))
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 429 and Post.objects.count() == 1


def test_a_new_account_may_start_three_threads_a_day(client):
    newcomer = established(email="new@example.ge")
    from django.utils import timezone

    newcomer.date_joined = timezone.now()
    newcomer.save()
    client.force_login(newcomer)
    for n in range(3):
        assert client.post(reverse("forum:new"), {**GOOD, "body": f"Text number {n}"}).status_code == 302
    assert "come back tomorrow" in _refused(client, newcomer, 429, body="The fourth text")


def test_the_honeypot_and_errors_speak_georgian(client, author):
    client.force_login(author)
    response = client.post("/ka/forum/new/", {**GOOD, "title": ""})
    assert response.status_code == 400
    assert "სათაური" in response.content.decode()


def test_strange_list_parameters_are_a_400_not_a_500(client):
    for params in ({"order": "x"}, {"page": "-1"}, {"page": "abc"}, {"district": "nowhere"}, {"area": "{"}):
        assert client.get(reverse("forum:index"), params).status_code == 400


def test_a_reply_needs_sign_in(client, thread):
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Anonymous"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert FREEDOM_SQUARE  # used by other modules


def test_browsers_line_endings_are_not_control_characters(client, thread, replier):
    client.force_login(replier)
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "> quoted\r\n\r\nMy answer"})
    assert response.status_code == 302
    assert Post.objects.get(number=2).body == "> quoted\n\nMy answer"

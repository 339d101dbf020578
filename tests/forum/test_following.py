"""Following: area subscribers hear of new threads placed in their area; followers of replies;
mentions and replies to one's post at once; nobody of their own posts; exactly one email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum import actions
from forum.models import ForumSettings, Thread
from subscriptions import delivery
from subscriptions.models import Delivery, Subscription
from tests.forum.conftest import FREEDOM_SQUARE, established, placed, start_thread
from tests.subscriptions.conftest import make_subscription

pytestmark = pytest.mark.django_db


def _rows(subscription):
    return list(Delivery.objects.filter(subscription=subscription))


def _send_all():
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    return delivery.deliver_due()


def test_an_area_subscriber_with_the_forum_topic_hears_of_a_new_thread_in_the_area(author):
    subscriber = make_subscription(topics=["forum"], groups=["new"], email="eka@example.ge")
    start_thread(author, place=placed())
    start_thread(author, title="Elsewhere in the city", body="Far away", place=placed(FREEDOM_SQUARE))
    start_thread(author, title="Nowhere in particular", body="No place at all")
    assert len(_rows(subscriber)) == 1
    assert _send_all() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eka@example.ge"]
    assert "Plane trees on Chavchavadze Avenue" in mail.outbox[0].body
    assert _send_all() == 0 and len(mail.outbox) == 1


def test_a_section_topic_hears_only_its_section(author):
    trees = make_subscription(topics=["forum:trees"], groups=["new"], email="a@example.ge")
    transport = make_subscription(topics=["forum:transport"], groups=["new"], email="b@example.ge")
    start_thread(author, place=placed())
    assert len(_rows(trees)) == 1 and _rows(transport) == []


def test_the_author_follows_and_hears_of_replies_but_not_of_their_own(author, replier):
    thread = start_thread(author, place=placed())
    follow = Subscription.objects.get(user=author, item_layer="forum", item_id=thread.pk)
    assert _rows(follow) == []  # the author's own thread
    actions.do_reply(thread, "A reply from Levan", author=replier)
    actions.do_reply(thread, "The author answers", author=author)
    rows = _rows(follow)
    assert len(rows) == 1 and rows[0].event.data["post"] == 2
    replier_follow = Subscription.objects.get(user=replier, item_layer="forum", item_id=thread.pk)
    assert len(_rows(replier_follow)) == 1  # the author's reply, not Levan's own


def test_stopping_follow_stops_the_news(client, author, replier):
    thread = start_thread(author)
    client.force_login(author)
    client.post(reverse("forum:follow", args=[thread.pk]), {"action": "stop"})
    actions.do_reply(thread, "Nobody hears this", author=replier)
    assert not Delivery.objects.filter(subscription__user=author).exists()
    actions.do_reply(thread, "The author writes again", author=author)
    assert not Subscription.objects.filter(user=author, item_id=thread.pk, unsubscribed_at__isnull=True).exists()


def test_a_digest_follower_still_hears_of_a_reply_to_their_post_at_once(author, replier):
    ForumSettings.objects.create(user=author, follow_frequency="weekly")
    thread = start_thread(author)
    third = established(email="third@example.ge", display_name="Third")
    actions.do_reply(thread, "Just a comment", author=third)
    actions.do_reply(thread, "Replying to you", author=replier, reply_to=thread.posts.get(number=1))
    rows = {row.event.data["post"]: row.due_at for row in Delivery.objects.filter(subscription__user=author)}
    assert rows[3] < timezone.now() + timedelta(minutes=5) < rows[2]


def test_a_mention_makes_the_person_follow_and_tells_them_at_once(author, replier):
    thread = start_thread(author)
    mentioned_one = established(email="nana@example.ge", display_name="Nana Beridze")
    actions.do_reply(thread, "I was here", author=mentioned_one)
    Subscription.objects.filter(user=mentioned_one).update(unsubscribed_at=timezone.now())
    actions.do_reply(thread, "What do you think, @Nana Beridze?", author=replier)
    assert Delivery.objects.filter(subscription__user=mentioned_one, event__data__post=3).count() == 1


def test_notification_settings_are_saved_from_my_page(client, author):
    thread = start_thread(author)
    client.force_login(author)
    response = client.post(reverse("forum:settings"), {"follow_frequency": "daily", "mentions_at_once": "on"})
    assert response.status_code == 302
    prefs = ForumSettings.objects.get(user=author)
    assert prefs.follow_frequency == "daily" and not prefs.auto_follow and prefs.mentions_at_once
    assert Subscription.objects.get(user=author, item_id=thread.pk).frequency == "daily"
    assert client.post(reverse("forum:settings"), {"follow_frequency": "hourly"}).status_code == 400


def test_with_auto_follow_off_writing_follows_nothing(author, replier):
    ForumSettings.objects.create(user=replier, auto_follow=False)
    thread = start_thread(author)
    actions.do_reply(thread, "Not following", author=replier)
    assert not Subscription.objects.filter(user=replier).exists()
    assert Thread.objects.count() == 1
